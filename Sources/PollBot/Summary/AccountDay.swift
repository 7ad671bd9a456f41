import BotKit
import Foundation

/// What one account did today, read fresh from its broker: P&L, open positions, orders filled and rejected.
struct AccountDay: Sendable, Equatable {
    var account: String
    var realized: Double
    var unrealized: Double
    var openPositions: [Position]
    var fills: Int
    var rejections: Int

    var total: Double { realized + unrealized }

    /// Reads funds, positions and the order book at once, bypassing the cache: a summary must not show a minute-old P&L.
    static func read(_ session: TradingSession) async throws -> AccountDay {
        async let funds = session.fetch(.funds, refresh: true) { try await $0.funds() }
        async let positions = session.fetch(.positions, refresh: true) { try await $0.positions() }
        async let book = session.fetch(.orders, refresh: true) { try await $0.orderBook() }
        let orders = try await book.value.orders
        let money = try await funds.value
        return AccountDay(account: session.accountName, realized: money.realizedPnL, unrealized: money.unrealizedPnL,
                          openPositions: try await positions.value.filter(\.isOpen),
                          fills: orders.count { status($0) == "complete" }, rejections: orders.count { status($0) == "rejected" })
    }

    /// Brokers differ in case and padding ("COMPLETE", " rejected").
    private static func status(_ order: Order) -> String {
        order.status.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// This account's snapshot of `day` for `userID`.
    func snapshot(userID: Int64, day: Int) -> DailySnapshot {
        DailySnapshot(userID: userID, day: day, account: account, realized: realized, unrealized: unrealized, fills: fills,
                      rejections: rejections)
    }
}
