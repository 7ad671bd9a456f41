import BotKit
import PollBot
import Foundation

/// `pollbot-bench charts`: render + PNG encode of the two standard charts, timed, and RSS over 1000 renders.
enum ChartBench {
    static func run(samplesDirectory: String?) throws {
        let market = PaperMarket()
        let now = market.calendar.time(day: market.calendar.latestSession(at: Date()), minute: 375)
        let calendar = market.calendar
        let dailyDays = calendar.tradingDays(endingAt: calendar.day(of: now), count: 252 + 199)
        let daily = try market.history(Instrument("RELIANCE", "NSE"), interval: "D", start: calendar.midnight(of: dailyDays[0]), end: now, now: now)
        let intradayDays = calendar.tradingDays(endingAt: calendar.day(of: now), count: 5)
        let intraday = try market.history(Instrument("RELIANCE", "NSE"), interval: "5m", start: calendar.midnight(of: intradayDays[0]), end: now, now: now)
        let charts = [
            ("daily, 252 candles, MA20/50/200, support/resistance",
             ChartSpec(instrument: Instrument("RELIANCE", "NSE"), interval: "D", kind: .daily, candles: Array(daily.suffix(252)),
                       warmUp: Array(daily.dropLast(252)), demo: true)),
            ("intraday, \(intraday.count) candles of 5m, VWAP",
             ChartSpec(instrument: Instrument("RELIANCE", "NSE"), interval: "5m", kind: .intraday, candles: intraday,
                       theme: .dark, demo: true)),
        ]
        print("chart benchmark: release build, render + PNG encode in memory, 1280x720")
        for (name, spec) in charts {
            var times: [Double] = []
            var bytes = 0
            for _ in 0..<60 {
                let started = ContinuousClock.now
                bytes = try ChartRenderer.png(spec).count
                times.append(PollBench.milliseconds(started.duration(to: .now)))
            }
            times = Array(times.dropFirst(10)).sorted()
            print(String(format: "  %@: p50 %.1f ms, max %.1f ms, PNG %d KB", name, times[times.count / 2], times.last!, bytes / 1024))
        }
        let before = residentKilobytes()
        for index in 0..<1000 { _ = try ChartRenderer.png(charts[index % 2].1) }
        let after = residentKilobytes()
        print(String(format: "  RSS before 1000 renders %.1f MB, after %.1f MB", Double(before) / 1024, Double(after) / 1024))
        if let samplesDirectory {
            // Each chart in both themes; the README shows daily-light and intraday-dark.
            for (spec, kind) in [(charts[0].1, "daily"), (charts[1].1, "intraday")] {
                for (theme, name) in [(ChartTheme.light, "light"), (.dark, "dark")] {
                    var themed = spec
                    themed.theme = theme
                    try ChartRenderer.png(themed).write(to: URL(fileURLWithPath: "\(samplesDirectory)/chart-\(kind)-\(name).png"))
                }
            }
            print("  samples written to \(samplesDirectory)")
        }
    }

    static func residentKilobytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
