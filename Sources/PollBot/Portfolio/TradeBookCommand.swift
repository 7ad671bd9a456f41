import BotKit
import Foundation

/// /tradebook: every trade of the day, with buy and sell totals over all of them.
struct TradeBookCommand: PortfolioCommand {
    static let name = "tradebook"
    static let summary = "Today's trades with buy and sell totals"
    static let title = "Trades"

    init(arguments: inout ArgumentScanner) throws {}

    static func render(_ session: TradingSession, refresh: Bool) async throws -> String {
        let fetched = try await session.fetch(.trades, refresh: refresh) { try await $0.tradeBook() }
        let trades = fetched.value, format = session.format
        let html = session.heading(title) + "\n"
        guard !trades.isEmpty else { return html + "No trades today." + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache) }
        var table = TextTable()
        for (index, trade) in trades.enumerated() {
            if index > 0 { table.gap() }
            table.line("\(trade.action) \(format.quantity(trade.quantity)) \(trade.symbol) \(trade.exchange) \(trade.product)")
            table.line(" @ \(format.number(trade.averagePrice)) = \(format.money(trade.value))")
            table.line(" \(timeOfDay(trade.timestamp)) #\(trade.orderID)")
        }
        let buys = trades.filter(\.isBuy), sells = trades.filter { !$0.isBuy }
        var summary = TextTable()
        summary.row("Trades", "\(trades.count)")
        summary.row("Bought (\(buys.count))", format.money(buys.reduce(0) { $0 + $1.value }))
        summary.row("Sold (\(sells.count))", format.money(sells.reduce(0) { $0 + $1.value }))
        return html + table.html + summary.html + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
    }
}
