import BotKit
import Foundation

/// How amounts, quantities and times look in replies.
///
/// Rupee amounts use Indian digit grouping (₹12,34,567.50), as Indian traders
/// read them; other currencies group by thousands.
public struct DisplayFormat: Sendable {
    public var currency: String
    public var timeZone: ZoneRules

    public init(currency: String = "\u{20B9}", timeZone: ZoneRules = .system) {
        self.currency = currency
        self.timeZone = timeZone
    }

    private var indianGrouping: Bool { currency == "\u{20B9}" || currency == "Rs" || currency == "INR" }

    /// What a value that cannot be shown prints as: NaN, infinity, or a magnitude of 10^15 or more (a derived
    /// number such as a percentage of a near-zero close), so that no reply carries "inf" or forty digits.
    public static let unavailable = "n/a"

    /// The decoder's bound on broker numbers: what it lets through can always be shown.
    private static func showable(_ value: Double) -> Bool { UnusableValue.isUsable(value) }

    /// "₹1,23,456.70", or "-₹12.50".
    public func money(_ value: Double) -> String {
        guard Self.showable(value) else { return Self.unavailable }
        return (value < 0 ? "-" : "") + currency + number(abs(value))
    }

    /// "+₹887.50" or "-₹12.50": a change, always signed.
    public func signedMoney(_ value: Double) -> String {
        guard Self.showable(value) else { return Self.unavailable }
        return (value < 0 ? "-" : "+") + currency + number(abs(value))
    }

    /// "1,402.35": a price, two decimals, grouped; "n/a" for a value that cannot be shown.
    public func number(_ value: Double, decimals: Int = 2) -> String {
        guard Self.showable(value) else { return Self.unavailable }
        let rounded = (abs(value) * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals))
        let text = FixedPoint.format(rounded, decimals: decimals)
        let parts = text.split(separator: ".", maxSplits: 1)
        let grouped = group(String(parts[0]))
        let sign = value < 0 && rounded != 0 ? "-" : ""
        return sign + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// "+17.75": a price change, always signed.
    public func signed(_ value: Double) -> String {
        guard Self.showable(value) else { return Self.unavailable }
        return (value < 0 ? "-" : "+") + number(abs(value))
    }

    /// "+1.27%".
    public func percent(_ value: Double) -> String { Self.showable(value) ? signed(value) + "%" : Self.unavailable }

    /// "50" or "0.5": quantities without needless decimals.
    public func quantity(_ value: Double) -> String {
        // `exactly:` is nil for fractions, NaN and infinity alike, which then take the path that prints "n/a".
        guard Self.showable(value), let whole = Int64(exactly: value.magnitude) else { return number(value, decimals: 2) }
        return group(String(whole)).withSign(value < 0)
    }

    /// "14:02:31" in the bot's time zone.
    public func clock(_ date: Date) -> String { time(date, seconds: true) }

    /// "14:02".
    public func shortClock(_ date: Date) -> String { time(date, seconds: false) }

    private func time(_ date: Date, seconds: Bool) -> String { timeZone.civil(date).clock(seconds: seconds) }

    private func group(_ digits: String) -> String {
        var digits = Array(digits)
        guard digits.count > 3 else { return String(digits) }
        var result = String(digits.suffix(3))
        digits.removeLast(3)
        let size = indianGrouping ? 2 : 3
        while !digits.isEmpty {
            result = String(digits.suffix(size)) + "," + result
            digits.removeLast(min(size, digits.count))
        }
        return result
    }
}

private extension String {
    func withSign(_ negative: Bool) -> String { negative ? "-" + self : self }
}
