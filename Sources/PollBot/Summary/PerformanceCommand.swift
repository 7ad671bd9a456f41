import BotKit
import Foundation

/// /performance: the day-by-day P&L of the last N days from the daily summaries' snapshots, as a bar chart with best
/// and worst day, win rate and maximum drawdown.
struct PerformanceCommand: Command {
    static let name = "performance"
    static let summary = "Your P&L day by day, from the daily summaries"
    static let usage = "/performance [7d-365d]"
    static let details: String? = "Draws the total P&L of each day a daily summary recorded (30 days unless you say, e.g. "
        + "/performance 90d), with the best and worst day, the share of winning days and the deepest fall from a peak."
    static let privateOnly = true
    static let range = 7...365

    let days: Int

    init(arguments: inout ArgumentScanner) throws {
        guard let word = arguments.optionalWord() else {
            days = 30
            return
        }
        guard let match = word.lowercased().wholeMatch(of: /([0-9]{1,4})d?/), let value = Int(match.1), Self.range.contains(value) else {
            throw arguments.failure("Give a number of days from 7 to 365, such as <code>30d</code>, not \u{201C}\(NotifyCommand.shown(word))\u{201D}.")
        }
        days = value
        try arguments.finish()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let config = context.services.config
        let calendar = SummaryCalendar(config)
        let today = calendar.day(of: Date())
        let report = PerformanceReport(try await context.services.store.snapshots(of: user.id, from: today - days + 1))
        guard !report.days.isEmpty else {
            return context.reply("No history yet for the last \(days) days: each daily summary (at "
                                 + String(format: "%02d:%02d", config.alerts.summaryHour, config.alerts.summaryMinute)
                                 + " on trading days) records a day. /settings turns the summary on if it is off.")
        }
        let format = DisplayFormat(currency: config.broker.currency, timeZone: config.broker.timeZone)
        let caption = Self.caption(report, days: days, format: format) { calendar.label($0) }
        await context.bot.chatAction(context.chat.id, "upload_photo")
        let theme = ChartTheme.named(config.charts.theme)
        let title = "P&L per day, last \(days) days"
        let png = try await ChartWorker.shared.draw(Instrument("P&L", "history")) {
            try PerformanceChart.png(report, title: title, theme: theme) { calendar.label($0) }
        }
        return [.photo(png, caption: caption, to: context.chat.id)]
    }

    /// The figures under the chart (within Telegram's 1,024-character caption).
    static func caption(_ report: PerformanceReport, days: Int, format: DisplayFormat, label: (Int) -> String) -> String {
        var lines = ["<b>Performance</b> \u{00B7} last \(days) days \u{00B7} \(report.days.count) trading \(report.days.count == 1 ? "day" : "days") recorded",
                     "Total \(format.signedMoney(report.total))"]
        if let best = report.best, let worst = report.worst {
            lines.append("Best day \(format.signedMoney(best.pnl)) (\(label(best.day)))")
            lines.append("Worst day \(format.signedMoney(worst.pnl)) (\(label(worst.day)))")
        }
        if let rate = report.winRate {
            lines.append("Win rate \(format.number(rate, decimals: 0))% (\(report.wins) of \(report.days.count) days in profit)")
        }
        lines.append("Max drawdown \(format.money(report.maxDrawdown))")
        return lines.joined(separator: "\n")
    }
}
