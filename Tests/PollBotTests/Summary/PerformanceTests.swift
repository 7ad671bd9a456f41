import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /performance's figures on known snapshots, its chart as a real PNG, and the command through the whole bot.
@Suite struct PerformanceTests {
    static func snapshots(_ totals: [Double], firstDay: Int = 20_000, accounts: [String] = ["main"]) -> [DailySnapshot] {
        totals.enumerated().flatMap { index, total in
            accounts.map { DailySnapshot(userID: 1, day: firstDay + index, account: $0, realized: total / Double(accounts.count),
                                         unrealized: 0, fills: 1, rejections: 0) }
        }
    }

    @Test func winRateDrawdownBestAndWorstOnKnownDays() {
        // Running total 100, 50, 250, -50, 0: the peak 250 falls to -50, a drawdown of 300.
        let report = PerformanceReport(Self.snapshots([100, -50, 200, -300, 50]))
        #expect(report.days.map(\.pnl) == [100, -50, 200, -300, 50])
        #expect(report.total == 0)
        #expect(report.best == .init(day: 20_002, pnl: 200))
        #expect(report.worst == .init(day: 20_003, pnl: -300))
        #expect(report.wins == 3)
        #expect(report.winRate == 60)
        #expect(report.maxDrawdown == 300)
        // Accounts add up per day; a losing start counts from zero.
        let two = PerformanceReport(Self.snapshots([-40, 10, 10], accounts: ["a", "b"]))
        #expect(two.days.map(\.pnl) == [-40, 10, 10])
        #expect(two.maxDrawdown == 40)
        #expect(two.winRate?.rounded() == 67)
        // Only gains: no drawdown. Nothing: no rate.
        #expect(PerformanceReport(Self.snapshots([5, 5])).maxDrawdown == 0)
        #expect(PerformanceReport([]).winRate == nil)
        // A value no job writes (an edited file) counts as zero instead of spoiling every figure.
        var odd = Self.snapshots([100, 0])
        odd[1].total = .nan
        #expect(PerformanceReport(odd).total == 100)
    }

    @Test func theCaptionNamesTheFigures() {
        let report = PerformanceReport(Self.snapshots([100, -50, 200, -300, 50]))
        let format = DisplayFormat(currency: "\u{20B9}", timeZone: ZoneRules.named("Asia/Kolkata")!)
        let caption = PerformanceCommand.caption(report, days: 30, format: format) { "day \($0)" }
        #expect(caption.contains("5 trading days recorded"))
        #expect(caption.contains("Best day +\u{20B9}200.00 (day 20002)"))
        #expect(caption.contains("Worst day -\u{20B9}300.00 (day 20003)"))
        #expect(caption.contains("Win rate 60% (3 of 5 days in profit)"))
        #expect(caption.contains("Max drawdown \u{20B9}300.00"))
    }

    @Test func theChartIsARealPNGWithGreenAndRedBars() async throws {
        let report = PerformanceReport(Self.snapshots([100, -50, 200, -300, 50]))
        let theme = ChartTheme.light
        let png = try await ChartWorker.shared.draw(Instrument("P&L", "history")) {
            try PerformanceChart.png(report, title: "P&L per day", theme: theme) { "d\($0)" }
        }
        let image = try #require(PNGImage(png))
        #expect(image.width == PerformanceChart.width && image.height == PerformanceChart.height)
        let green = image.count(0x1E9E6A), red = image.count(0xE0413C)
        #expect(green > 1000 && red > 1000)
        // Three winning days' bars against two losing ones of about the same total height: the 300 loss is the tallest.
        #expect(red > green / 2)
        // One flat day still draws (the scale never divides by zero).
        #expect(PNGImage(try PerformanceChart.png(PerformanceReport(Self.snapshots([0])), title: "", theme: theme) { _ in "" }) != nil)
    }

    @Test func hostileArgumentsGetAShortClearReply() throws {
        let notify: [(String, String)] = [
            ("pnl below nan", "is not an amount"),
            ("pnl below -inf", "is not an amount"),
            ("pnl above 1e308", "is not an amount"),
            ("pnl above ten", "is not an amount"),
            ("pnl below 5000", "Give a loss with its sign"),
            ("pnl above 99999999999", "within"),
            ("pnl sideways 10", "Say <code>above</code> or <code>below</code>"),
            ("pnl", "above or below is missing"),
            ("pnl above", "The amount is missing"),
            ("pnl above 100 200", "I did not understand"),
            ("volume above 10", "I know <code>/notify pnl</code>"),
            ("pnl above \(String(repeating: "9", count: 500))", "is not an amount"),
        ]
        for (text, expected) in notify {
            var scanner = ArgumentScanner(text, usage: NotifyCommand.usage)
            let error = #expect(throws: UserError.self) { _ = try NotifyCommand(arguments: &scanner) }
            let message = error?.html ?? ""
            #expect(message.contains(expected), "\(text) → \(message)")
            #expect(message.count < 400, "\(text) → a long reply")
        }
        var good = ArgumentScanner("pnl below -5,000", usage: "")
        #expect(try NotifyCommand(arguments: &good).action == .add(.below, -5000))
        var profit = ArgumentScanner("pnl < +2500.50", usage: "")
        #expect(try NotifyCommand(arguments: &profit).action == .add(.below, 2500.5))
        for text in ["0d", "6d", "366d", "-30d", "nan", "1e3d", "30days", "99999999999999999999d"] {
            var scanner = ArgumentScanner(text, usage: PerformanceCommand.usage)
            #expect(throws: UserError.self, "\(text)") { _ = try PerformanceCommand(arguments: &scanner) }
        }
        var ninety = ArgumentScanner("90D", usage: "")
        #expect(try PerformanceCommand(arguments: &ninety).days == 90)
    }
}
