import BotKit
import Foundation
import Logging

/// /pnl: realized, unrealized and total P&L of the day; `/pnl all` sums every linked account.
struct PnLCommand: PortfolioCommand {
    static let name = "pnl"
    static let summary = "Today's realized, unrealized and total P&L"
    static let usage = "/pnl [all]"
    static let details: String? = "/pnl all adds up every linked account, with a line per account."
    static let title = "P&L today"

    let allAccounts: Bool

    init(arguments: inout ArgumentScanner) throws {
        let word = arguments.optionalWord()?.lowercased()
        guard word == nil || word == "all" else { throw UserError("Use <code>/pnl</code> for the active account or <code>/pnl all</code> for every linked account.") }
        allAccounts = word == "all"
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard allAccounts else { return context.reply(try await Self.render(try await context.tradingSession(), refresh: false)) }
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let sessions = try await context.services.trading.sessions(userID: user.id)
        let results = await sessions.gather { try await $0.fetch(.funds) { try await $0.funds() } }
        let format = sessions[0].format
        var table = TextTable()
        var total = 0.0, failures: [String] = []
        for (index, session) in sessions.enumerated() {
            switch results[index] {
            case .success(let fetched):
                let funds = fetched.value
                total += funds.realizedPnL + funds.unrealizedPnL
                table.row(session.accountName, format.signedMoney(funds.realizedPnL + funds.unrealizedPnL))
                table.line(" realized \(format.signed(funds.realizedPnL)) \u{00B7} unrealized \(format.signed(funds.unrealizedPnL))")
            case .failure(let error):
                table.row(session.accountName, "no answer")
                failures.append(session.failureLine(error, doing: "pnl all", logger: context.bot.logger))
            }
        }
        table.gap()
        table.row(failures.isEmpty ? "All accounts" : "Accounts that answered", format.signedMoney(total))
        var html = "<b>P&amp;L today, all accounts</b>" + sessions[0].demoMark + "\n" + table.html
        if !failures.isEmpty { html += "Not counted in the total:\n" + failures.joined(separator: "\n") }
        return context.reply(html)
    }

    static func render(_ session: TradingSession, refresh: Bool) async throws -> String {
        let fetched = try await session.fetch(.funds, refresh: refresh) { try await $0.funds() }
        let funds = fetched.value, format = session.format
        var table = TextTable()
        table.row("Realized", format.signedMoney(funds.realizedPnL))
        table.row("Unrealized", format.signedMoney(funds.unrealizedPnL))
        table.row("Total", format.signedMoney(funds.realizedPnL + funds.unrealizedPnL))
        return session.heading(title) + "\n" + table.html + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
    }
}
