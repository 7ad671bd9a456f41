import Foundation

/// A wall-clock time broken into fields, computed with integer arithmetic on the proleptic Gregorian calendar:
/// no Calendar, no ICU (a Calendar in a named zone initialises ICU and pages in its data).
public struct CivilTime: Sendable, Equatable {
    public var year: Int
    /// 1 to 12.
    public var month: Int
    /// 1 to 31.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// Days since 1970-01-01 of this date.
    public var dayNumber: Int { Self.days(year: year, month: month, day: day) }

    /// 0 is Sunday, as in POSIX.
    public var weekday: Int { Self.weekday(ofDay: dayNumber) }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    /// The fields of `seconds` since 1970-01-01 00:00 on the wall clock (an offset already added).
    public init(localSeconds seconds: Int64) {
        let (days, rest) = (Self.floorDiv(seconds, 86_400), Self.floorMod(seconds, 86_400))
        let date = Self.civil(Int(days))
        self.init(year: date.year, month: date.month, day: date.day,
                  hour: Int(rest / 3600), minute: Int(rest % 3600 / 60), second: Int(rest % 60))
    }

    /// Seconds since 1970-01-01 00:00 on the wall clock.
    public var localSeconds: Int64 { Int64(dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second) }

    /// "Wed 7 Jan 2026".
    public var dayLabel: String { "\(Self.weekdayNames[weekday]) \(day) \(Self.monthNames[month - 1]) \(year)" }

    /// "14:02" or, with seconds, "14:02:31".
    public func clock(seconds: Bool = false) -> String {
        let base = Self.twoDigits(hour) + ":" + Self.twoDigits(minute)
        return seconds ? base + ":" + Self.twoDigits(second) : base
    }

    /// "2026-01-07".
    public var isoDate: String {
        let digits = String(year.magnitude)
        return (year < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            + "-" + Self.twoDigits(month) + "-" + Self.twoDigits(day)
    }

    public static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    public static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `value` with a leading zero below 10.
    public static func twoDigits(_ value: Int) -> String { value >= 0 && value < 10 ? "0\(value)" : "\(value)" }

    /// 0 is Sunday; 1970-01-01 was a Thursday.
    public static func weekday(ofDay day: Int) -> Int { ((day % 7) + 7 + 4) % 7 }

    /// Year, month, day of a day number (H. Hinnant's civil_from_days).
    public static func civil(_ day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let dayOfMonth = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth)
    }

    /// The day number of a date (H. Hinnant's days_from_civil); months outside 1...12 are not normalised.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func monthLength(year: Int, month: Int) -> Int {
        month == 2 ? (isLeap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
