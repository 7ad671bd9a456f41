import BotKit
import Foundation

/// The trading days of the daily jobs, in the bot's time zone: which day a summary is for, whether a run missed one,
/// and how a day reads.
struct SummaryCalendar: Sendable {
    let market: MarketCalendar
    let hour: Int
    let minute: Int

    /// NSE's trading days counted in `timeZone` (the summary's time zone), with the summary at `hour`:`minute`.
    init(timeZone: ZoneRules, hour: Int, minute: Int) {
        let india = MarketCalendar.india
        market = MarketCalendar(zone: timeZone, openMinute: india.openMinute, closeMinute: india.closeMinute, holidays: india.holidays)
        self.hour = hour
        self.minute = minute
    }

    /// The calendar of a bot.toml.
    init(_ config: BotConfig) {
        self.init(timeZone: config.broker.timeZone, hour: config.alerts.summaryHour, minute: config.alerts.summaryMinute)
    }

    func day(of date: Date) -> Int { market.day(of: date) }

    /// The summary's moment on `day`.
    func summaryTime(of day: Int) -> Date { market.midnight(of: day).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60)) }

    /// The latest trading day's summary time from `scheduledFor` through `now`, or nil when a run (on a weekend or
    /// holiday, or late over such days only) missed no trading day's summary. A long outage looks back a year at most.
    func missedSummary(scheduledFor: Date, now: Date) -> Date? {
        let last = day(of: now)
        let first = max(day(of: scheduledFor), last - 366)
        guard first <= last else { return nil }
        // A minute's slack: the scheduled time and the computed one may differ by rounding across a time zone change.
        let earliest = scheduledFor.addingTimeInterval(-60)
        return (first...last).reversed().lazy.filter { self.market.isTradingDay($0) }.map { self.summaryTime(of: $0) }
            .first { $0 <= now && $0 >= earliest }
    }

    /// The latest trading day on or before `date`'s day: the day a summary at `date` reports on.
    func reportDay(at date: Date) -> Int {
        market.tradingDays(endingAt: day(of: date), count: 1).first ?? day(of: date)
    }

    /// "Wed 7 Jan 2026" (a day number is already a local date, so no zone and no DateFormatter are needed).
    func label(_ day: Int) -> String {
        let date = CivilTime.civil(day)
        return CivilTime(year: date.year, month: date.month, day: date.day).dayLabel
    }
}
