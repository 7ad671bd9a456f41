import Foundation

/// The highest high and lowest low of the 52 weeks up to the last candle, and where the last close sits between them.
public struct YearRange: Sendable, Equatable {
    public var high: Double
    public var low: Double
    public var last: Double
    /// The first candle inside the 52 weeks: later than a week after their start means the history is shorter.
    public var since: Date
    /// Where the last close sits, 0 % at the low and 100 % at the high; 50 % when high and low are equal.
    public var position: Double
    /// True when the candles reach back the whole 52 weeks (within a week, for holidays), so "52-week" is honest.
    public var coversYear: Bool

    /// 52 weeks as the range counts them, 364 days.
    public static let span: TimeInterval = 364 * 86_400

    /// Nil without candles. Candles must be usable (`StockStatistics.usable`) and oldest first.
    public init?(_ candles: [Candle]) {
        guard let lastCandle = candles.last else { return nil }
        let start = lastCandle.time.addingTimeInterval(-Self.span)
        var high = -Double.infinity, low = Double.infinity, since = lastCandle.time
        for candle in candles.reversed() {
            guard candle.time >= start else { break }
            high = max(high, candle.high, candle.close)
            low = min(low, candle.low, candle.close)
            since = candle.time
        }
        self.high = high
        self.low = low
        last = lastCandle.close
        self.since = since
        position = high > low ? min(max((lastCandle.close - low) / (high - low), 0), 1) * 100 : 50
        coversYear = since <= start.addingTimeInterval(7 * 86_400)
    }
}
