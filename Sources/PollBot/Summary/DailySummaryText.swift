import BotKit
import Foundation

/// The daily summary as a user reads it: P&L per account and in total, open positions, fills and rejections.
enum DailySummaryText {
    /// Open positions listed per account; the rest are counted.
    static let positionsShown = 8

    /// The summary of `day` for the accounts that answered (`accounts`) and those that did not (`failures`, HTML lines).
    /// `late` names the missed time when the bot was down then.
    static func render(day: String, accounts: [AccountDay], failures: [String], format: DisplayFormat, demo: Bool,
                       late: (due: String, now: String)?) -> String {
        var html = "<b>Daily summary</b> \u{00B7} \(HTML.escape(day))" + (demo ? " \u{00B7} <b>DEMO</b> (paper broker)" : "") + "\n"
        if let late {
            html += "<i>Late: the summary due \(HTML.escape(late.due)) was missed while the bot was down; "
                + "these are the broker's figures at \(HTML.escape(late.now)).</i>\n"
        }
        var table = TextTable()
        for account in accounts {
            table.row(account.account, format.signedMoney(account.total))
            table.line(" realized \(format.signed(account.realized)) \u{00B7} unrealized \(format.signed(account.unrealized))")
            table.line(" orders filled \(account.fills) \u{00B7} rejected \(account.rejections)")
            if account.openPositions.isEmpty {
                table.line(" no open positions")
            } else {
                table.line(" open positions: \(account.openPositions.count)")
                for position in account.openPositions.prefix(positionsShown) {
                    table.line("  \(position.symbol) \(position.exchange) \(position.quantity > 0 ? "LONG" : "SHORT") "
                               + "\(format.quantity(abs(position.quantity))) \(format.signed(position.pnl))")
                }
                if account.openPositions.count > positionsShown { table.line("  and \(account.openPositions.count - positionsShown) more") }
            }
        }
        if accounts.count > 1 || !failures.isEmpty {
            table.gap()
            let total = accounts.reduce(0) { $0 + $1.total }
            table.row(failures.isEmpty ? "Total" : "Accounts that answered", format.signedMoney(total))
        }
        if !accounts.isEmpty { html += table.html }
        if !failures.isEmpty { html += (accounts.isEmpty ? "No account answered:\n" : "Not counted:\n") + failures.joined(separator: "\n") }
        return html
    }
}
