import BotKit
import Foundation

/// One user's simulated account, shared by that user's requests.
actor PaperAccount {
    private(set) var ledger: PaperLedger

    init(market: PaperMarket, now: Date) { ledger = PaperLedger(market: market, now: now) }
}
