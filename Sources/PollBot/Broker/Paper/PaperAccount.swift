import BotKit
import Foundation

/// One user's simulated account, shared by that user's requests.
actor PaperAccount {
    private(set) var ledger: PaperLedger
    /// Analyze mode: orders are checked and answered as simulated, and the books do not change.
    private(set) var analyze = false

    init(market: PaperMarket, now: Date) { ledger = PaperLedger(market: market, now: now) }

    /// The books after filling every resting order the price at `now` reaches.
    func settled(at now: Date) -> PaperLedger {
        ledger.settle(at: now)
        return ledger
    }

    /// Runs `change` on the books; when it throws, the books stay as they were.
    func update<Result: Sendable>(_ change: (inout PaperLedger) throws -> Result) throws -> Result {
        var copy = ledger
        let result = try change(&copy)
        ledger = copy
        return result
    }

    func setAnalyze(_ on: Bool) { analyze = on }
}
