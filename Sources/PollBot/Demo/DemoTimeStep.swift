import Foundation

/// A step of `/demo_time`: "+30m", "+2h", "+1d" or "+90s", forward only, at most `cap`.
struct DemoTimeStep: Sendable, Equatable {
    /// The step in seconds: positive, finite, at most `cap`.
    let seconds: TimeInterval

    /// The longest step one command may take (a month of sessions is plenty to see alerts, fills and summaries).
    static let cap: TimeInterval = 30 * 86_400
    /// What the reply to a malformed step shows.
    static let form = "<code>/demo_time +30m</code> (also <code>+90s</code>, <code>+2h</code>, <code>+1d</code>): "
        + "a plus sign, a whole number and s, m, h or d, at most 30 days; the demo's clock only moves forward"

    private static let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]

    /// The step `text` spells, or nil for anything else ("+abc", "-5m", "+1e308h", "+99999d", "+0m").
    init?(_ text: String) {
        // Only ASCII digits and a short number: no sign inside, no exponent, no overflow before the cap is checked.
        guard text.count >= 3, text.first == "+", let unit = text.last.flatMap({ Self.units[$0] }) else { return nil }
        let digits = text.dropFirst().dropLast()
        guard digits.count <= 7, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits), count > 0 else { return nil }
        let seconds = TimeInterval(count) * unit
        guard seconds <= Self.cap else { return nil }
        self.seconds = seconds
    }

    /// "1d 2h 30m" for a span of seconds (whole minutes, or seconds when under one).
    static func describe(_ span: TimeInterval) -> String {
        guard span.isFinite, span >= 1 else { return "0m" }
        if span < 60 { return "\(Int(span))s" }
        let minutes = Int(min(span, 1e12) / 60)
        let parts = [(minutes / 1440, "d"), (minutes % 1440 / 60, "h"), (minutes % 60, "m")].filter { $0.0 > 0 }
        return parts.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    /// The argument that moves the clock by at least `span`: "+45m", or "+16h" when that is exact.
    static func argument(covering span: TimeInterval) -> String {
        let bounded = span.isFinite ? min(max(span, 0), cap) : 0
        let minutes = max(1, Int((bounded / 60).rounded(.up)))
        return minutes % 60 == 0 ? "+\(minutes / 60)h" : "+\(minutes)m"
    }
}
