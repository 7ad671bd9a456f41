import BotKit
import Foundation

/// /positions: open positions with side, quantity, product, average, LTP and P&L; closed ones are counted, not listed.
struct PositionsCommand: PortfolioCommand {
    static let name = "positions"
    static let summary = "Open positions with LTP and P&L"
    static let title = "Positions"

    init(arguments: inout ArgumentScanner) throws {}

    static func render(_ session: TradingSession, refresh: Bool) async throws -> String {
        let fetched = try await session.fetch(.positions, refresh: refresh) { try await $0.positions() }
        let format = session.format
        let open = fetched.value.filter(\.isOpen), closed = fetched.value.filter { !$0.isOpen }
        var html = session.heading(title) + "\n"
        if open.isEmpty {
            html += "No open positions.\n"
        } else {
            var table = TextTable()
            for (index, position) in open.enumerated() {
                if index > 0 { table.gap() }
                table.line("\(position.symbol) \(position.exchange) \(position.product)")
                table.line(" \(position.quantity > 0 ? "LONG" : "SHORT") \(format.quantity(abs(position.quantity))) @ \(format.number(position.averagePrice))")
                table.row(" LTP \(format.number(position.ltp))", "P&L \(format.signed(position.pnl))")
            }
            html += table.html
        }
        var summary = TextTable()
        let openPnL = open.reduce(0) { $0 + $1.pnl }, closedPnL = closed.reduce(0) { $0 + $1.pnl }
        summary.row("Open positions \(open.count)", format.signedMoney(openPnL))
        if !closed.isEmpty { summary.row("Closed today \(closed.count)", format.signedMoney(closedPnL)) }
        summary.row("Total P&L", format.signedMoney(openPnL + closedPnL))
        return html + summary.html + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
    }
}
