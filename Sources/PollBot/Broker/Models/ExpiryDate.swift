import BotKit
import Foundation

/// A contract's expiry: a calendar date on the exchange's calendar (IST), whatever format OpenAlgo wrote it in.
///
/// OpenAlgo writes one date four ways: `expiry`/`search`/`symbol` give "28-NOV-24", `optionchain`/`optionsymbol`
/// want and return "28NOV24", `optiongreeks` returns "28-Nov-2024", the market calendar "2024-11-28". All four parse,
/// month names in any case; nothing else does (a bad date must not become some other day).
public struct ExpiryDate: Sendable, Hashable, Comparable, CustomStringConvertible, Decodable {
    public let year: Int
    public let month: Int
    public let day: Int

    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// A real calendar date from 2000 to 2099, else nil (31 November is not a date).
    public init?(year: Int, month: Int, day: Int) {
        guard (2000...2099).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date of the exchange-local day number `dayNumber` (days since 1970-01-01, as `MarketCalendar` counts).
    public init?(dayNumber: Int) {
        guard (0...50_000).contains(dayNumber) else { return nil }
        let (year, month, day) = MarketCalendar.civil(dayNumber)
        self.init(year: year, month: month, day: day)
    }

    /// Parses "28-NOV-24", "28NOV24", "28-Nov-2024" or "2024-11-28" (surrounding spaces allowed).
    public init?(parsing text: String) {
        let text = text.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Self.digits(parts[1]), let day = Self.digits(parts[2]) {
            self.init(year: year, month: month, day: day)
        } else if parts.count == 3, (1...2).contains(parts[0].count), let day = Self.digits(parts[0]),
                  let month = Self.months.firstIndex(of: parts[1]), let year = Self.year(parts[2]) {
            self.init(year: year, month: month + 1, day: day)
        } else if parts.count == 1, text.count == 7, let day = Self.digits(String(text.prefix(2))),
                  let month = Self.months.firstIndex(of: String(text.dropFirst(2).prefix(3))), let year = Self.year(String(text.suffix(2))) {
            self.init(year: year, month: month + 1, day: day)
        } else {
            return nil
        }
    }

    /// A JSON string in any of the formats; another value is an error naming it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = ExpiryDate(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an expiry date: \(text.prefix(40))")
        }
        self = date
    }

    /// "28NOV24": what `optionchain` and `optionsymbol` want, and the middle of an option symbol.
    public var code: String { String(format: "%02d%@%02d", day, Self.months[month - 1], year % 100) }

    /// "28-NOV-24": how `expiry` writes it.
    public var description: String { String(format: "%02d-%@-%02d", day, Self.months[month - 1], year % 100) }

    /// Days since 1970-01-01 (exchange-local), to compare with `MarketCalendar.day(of:)`.
    public var dayNumber: Int {
        // H. Hinnant's days_from_civil, the inverse of `MarketCalendar.civil`.
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The moment trading in the contract ends: the close of the session on the expiry day (15:30 IST for NFO).
    public func close(in calendar: MarketCalendar = .india) -> Date { calendar.time(day: dayNumber, minute: calendar.sessionMinutes) }

    public static func < (lhs: ExpiryDate, rhs: ExpiryDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    private static func digits(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 2, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return Int(text)
    }

    /// "24" is 2024, "2024" is 2024.
    private static func year(_ text: String) -> Int? {
        guard text.count == 2 || text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else { return nil }
        return text.count == 2 ? 2000 + value : value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
