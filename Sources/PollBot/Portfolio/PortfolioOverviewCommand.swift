import BotKit
import Foundation

/// /portfolio: every linked account in one view; an account that does not answer is named with the reason.
struct PortfolioOverviewCommand: Command {
    static let name = "portfolio"
    static let summary = "All your accounts in one view: cash, holdings, P&L, allocation"
    static let details: String? = "Adds up every linked account: available cash, holdings value, open-position P&L and today's P&L; "
        + "the value of each account (cash + holdings); exposure by segment (holdings at value, open positions at notional); "
        + "the largest open positions. An account that does not answer is left out and named."
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws {}

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let sessions = try await context.services.trading.sessions(userID: user.id)
        let answers = await sessions.gather { session -> PortfolioSummary.Account in
            async let funds = session.fetch(.funds) { try await $0.funds() }
            async let holdings = session.fetch(.holdings) { try await $0.holdings() }
            async let positions = session.fetch(.positions) { try await $0.positions() }
            return PortfolioSummary.Account(name: session.accountName, funds: try await funds.value,
                                            holdings: try await holdings.value, positions: try await positions.value)
        }
        var accounts: [PortfolioSummary.Account] = [], failures: [String] = []
        for (session, answer) in zip(sessions, answers) {
            switch answer {
            case .success(let account): accounts.append(account)
            case .failure(let error): failures.append(session.failureLine(error, doing: "portfolio", logger: context.bot.logger))
            }
        }
        let format = sessions[0].format
        var html = "<b>Portfolio</b> \u{00B7} \(sessions.count == 1 ? "1 account" : "\(sessions.count) accounts")\(sessions[0].demoMark)\n"
        if accounts.isEmpty {
            return context.reply(html + "No account answered:\n" + failures.joined(separator: "\n"))
        }
        html += Self.render(PortfolioSummary(accounts), format: format)
        if !failures.isEmpty { html += "Not counted:\n" + failures.joined(separator: "\n") }
        return context.reply(html)
    }

    static func render(_ summary: PortfolioSummary, format: DisplayFormat) -> String {
        var table = TextTable()
        table.row("Available cash", format.money(summary.cash))
        table.row("Holdings value", format.money(summary.holdingsValue))
        table.row("Total", format.money(summary.total))
        table.row("Open P&L", format.signedMoney(summary.openPositionPnL))
        table.row("P&L today", format.signedMoney(summary.todayPnL))
        if summary.accountValues.count > 1 {
            table.gap()
            table.line("By account")
            // Names, shares and crore-sized amounts do not fit one 34-column line together: two lines each.
            for (name, value) in summary.accountValues {
                table.line(" " + name)
                table.row("  " + percent(PortfolioSummary.share(value, of: summary.total), format), format.money(value))
            }
        }
        let exposure = PortfolioSummary.Segment.allCases.compactMap { segment in
            summary.exposureBySegment[segment].flatMap { $0 > 0 ? (segment, $0) : nil }
        }
        let exposed = exposure.reduce(0) { $0 + $1.1 }
        if !exposure.isEmpty {
            table.gap()
            table.line("Exposure by segment")
            for (segment, value) in exposure {
                table.line(" " + segment.rawValue)
                table.row("  " + percent(PortfolioSummary.share(value, of: exposed), format), format.money(value))
            }
        }
        if !summary.largest.isEmpty {
            table.gap()
            table.line("Largest open positions")
            for exposure in summary.largest {
                let position = exposure.position
                table.line(" \(position.symbol) \(position.exchange)")
                if summary.accountValues.count > 1 { table.line("  in \(exposure.account)") }
                table.line("  \(position.quantity > 0 ? "LONG" : "SHORT") \(format.quantity(abs(position.quantity)))")
                table.row("", format.money(exposure.notional))
            }
        }
        return table.html
    }

    private static func percent(_ value: Double?, _ format: DisplayFormat) -> String {
        value.map { format.number($0, decimals: 0) + "%" } ?? "\u{2013}"
    }
}
