import BotKit
import Foundation

/// An exchange's trading days and session hours, in its own time zone.
///
/// Days are numbered from 1970-01-01 in exchange-local time, so a session is
/// one integer and charts and the paper broker can walk sessions cheaply.
public struct MarketCalendar: Sendable {
    /// The exchange's zone, from tzdata (no ICU).
    public let zone: ZoneRules
    /// The Foundation zone of the same name, for Foundation formatters (loads ICU: charts and history requests only).
    public var timeZone: TimeZone { zone.foundationZone }
    /// Session open, in minutes after local midnight.
    public let openMinute: Int
    /// Session close, in minutes after local midnight.
    public let closeMinute: Int
    /// Fixed-date holidays as month * 100 + day (moving feasts are not modelled).
    public let holidays: Set<Int>

    /// NSE and BSE: 09:15 to 15:30 IST, Monday to Friday, national holidays closed.
    public static let india = MarketCalendar(
        zone: ZoneRules.named("Asia/Kolkata") ?? ZoneRules(identifier: "Asia/Kolkata", fixedOffset: 19_800),
        openMinute: 9 * 60 + 15, closeMinute: 15 * 60 + 30, holidays: [126, 501, 815, 1002, 1225])

    /// Minutes in one session (375 for NSE).
    public var sessionMinutes: Int { closeMinute - openMinute }

    /// The local day number of `date`, clamped to ±`Self.dayLimit` (NaN is day 0), so no date from outside can trap.
    public func day(of date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        return Self.clamped((local / 86_400).rounded(.down), to: Self.dayLimit)
    }

    /// About 270,000 years either side of 1970: far past any real date, small enough that `day * 86_400` cannot overflow.
    static let dayLimit = 100_000_000

    /// `value` as an Int within ±`limit`; NaN becomes 0. `Int(_:)` traps on NaN, infinity and anything past Int.max.
    static func clamped(_ value: Double, to limit: Int) -> Int {
        guard !value.isNaN else { return 0 }
        return Int(max(-Double(limit), min(Double(limit), value)))
    }

    /// True on weekdays that are not holidays.
    public func isTradingDay(_ day: Int) -> Bool {
        let weekday = ((day % 7) + 7 + 4) % 7  // 1970-01-01 was a Thursday; 0 is Sunday
        guard weekday != 0, weekday != 6 else { return false }
        let (_, month, dayOfMonth) = Self.civil(day)
        return !holidays.contains(month * 100 + dayOfMonth)
    }

    /// The moment `minute` minutes after the open of `day`.
    public func time(day: Int, minute: Int) -> Date {
        let localSeconds = Double(day * 86_400 + (openMinute + minute) * 60)
        let guess = Date(timeIntervalSince1970: localSeconds)
        return Date(timeIntervalSince1970: localSeconds - Double(zone.secondsFromGMT(for: guess)))
    }

    /// Local midnight at the start of `day`.
    public func midnight(of day: Int) -> Date { time(day: day, minute: -openMinute) }

    /// Minutes of `day`'s session that have passed at `now`: 0 before the open, all of them after the close.
    public func elapsedMinutes(of day: Int, at now: Date) -> Int {
        let seconds = now.timeIntervalSince(time(day: day, minute: 0))
        return max(0, min(sessionMinutes, Self.clamped((seconds / 60).rounded(.down), to: sessionMinutes + 1)))
    }

    /// The last `count` trading days up to and including `day`, oldest first.
    public func tradingDays(endingAt day: Int, count: Int) -> [Int] {
        var days: [Int] = []
        var current = day
        while days.count < count {
            if isTradingDay(current) { days.append(current) }
            current -= 1
        }
        return days.reversed()
    }

    /// The trading days from `first` through `last`, oldest first.
    public func tradingDays(from first: Int, through last: Int) -> [Int] {
        guard first <= last else { return [] }
        return (first...last).filter(isTradingDay)
    }

    /// The latest session that has opened at `now` (today's once it has opened, else the one before).
    public func latestSession(at now: Date) -> Int {
        var day = self.day(of: now)
        if !isTradingDay(day) || now < time(day: day, minute: 0) { day -= 1 }
        while !isTradingDay(day) { day -= 1 }
        return day
    }

    /// True while a session is open at `now`.
    public func isOpen(at now: Date) -> Bool {
        let today = day(of: now)
        return isTradingDay(today) && now >= time(day: today, minute: 0) && now < time(day: today, minute: sessionMinutes)
    }

    /// Year, month, day of a day number (proleptic Gregorian).
    static func civil(_ day: Int) -> (year: Int, month: Int, day: Int) { CivilTime.civil(day) }
}
