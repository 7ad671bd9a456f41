import BotKit
import Foundation

/// /holdings: each holding with quantity, P&L and P&L %, then value, invested and total P&L.
struct HoldingsCommand: PortfolioCommand {
    static let name = "holdings"
    static let summary = "Long-term holdings with P&L"
    static let title = "Holdings"

    init(arguments: inout ArgumentScanner) throws {}

    static func render(_ session: TradingSession, refresh: Bool) async throws -> String {
        let fetched = try await session.fetch(.holdings, refresh: refresh) { try await $0.holdings() }
        let holdings = fetched.value, format = session.format
        var html = session.heading(title) + "\n"
        if holdings.holdings.isEmpty {
            html += "No holdings.\n"
        } else {
            var table = TextTable()
            for holding in holdings.holdings {
                table.line("\(holding.symbol) \(holding.exchange)")
                table.row(" \(format.quantity(holding.quantity)) sh", "\(format.signed(holding.pnl)) \(format.percent(holding.pnlPercent))")
            }
            html += table.html
        }
        let statistics = holdings.statistics
        var summary = TextTable()
        summary.row("Value", format.money(statistics.value))
        summary.row("Invested", format.money(statistics.invested))
        summary.row("Total P&L", format.signedMoney(statistics.pnl))
        summary.row("", format.percent(statistics.pnlPercent))
        return html + summary.html + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
    }
}
