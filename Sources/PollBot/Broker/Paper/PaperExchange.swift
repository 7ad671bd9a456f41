import BotKit
import Foundation

/// The paper accounts of all users, created on first use and kept for the life of the process.
public actor PaperExchange {
    public let market: PaperMarket
    private let now: @Sendable () -> Date
    private var accounts: [Int64: PaperAccount] = [:]

    public init(market: PaperMarket = PaperMarket(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.market = market
        self.now = now
    }

    /// The broker for `userID`'s paper account.
    public func broker(for userID: Int64) -> PaperBroker {
        let account = accounts[userID] ?? PaperAccount(market: market, now: now())
        accounts[userID] = account
        return PaperBroker(market: market, account: account, now: now)
    }
}
