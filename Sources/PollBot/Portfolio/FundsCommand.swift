import BotKit
import Foundation

/// /funds: available cash, collateral, used margin and their total.
struct FundsCommand: PortfolioCommand {
    static let name = "funds"
    static let summary = "Available cash, collateral, used margin"
    static let title = "Funds"

    init(arguments: inout ArgumentScanner) throws {}

    static func render(_ session: TradingSession, refresh: Bool) async throws -> String {
        let fetched = try await session.fetch(.funds, refresh: refresh) { try await $0.funds() }
        let funds = fetched.value, format = session.format
        var table = TextTable()
        table.row("Available cash", format.money(funds.availableCash))
        table.row("Collateral", format.money(funds.collateral))
        table.row("Used margin", format.money(funds.usedMargin))
        table.row("Total", format.money(funds.availableCash + funds.collateral))
        return session.heading(title) + "\n" + table.html + "Total = available cash + collateral."
            + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
    }
}
