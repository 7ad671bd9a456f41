import BotKit
import Foundation

/// The paper accounts of all users, created on first use; with a store their books are kept in the bot's database
/// and survive a restart, without one they last as long as the process.
public actor PaperExchange {
    public let market: PaperMarket
    private let store: BotStore?
    private let now: @Sendable () -> Date
    private var accounts: [Int64: PaperAccount] = [:]

    public init(market: PaperMarket = PaperMarket(), store: BotStore? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.market = market
        self.store = store
        self.now = now
    }

    /// The broker for `userID`'s paper account.
    public func broker(for userID: Int64) -> PaperBroker {
        let account = accounts[userID] ?? PaperAccount(market: market, userID: userID, store: store)
        accounts[userID] = account
        return PaperBroker(market: market, account: account, now: now)
    }
}
