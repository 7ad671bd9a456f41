import Foundation

/// What the stock part of an analysis states, from daily candles oldest first: RSI(14), ATR(14), HV20, HV60, the 52-week
/// range and the trend. Each is nil when the candles are too few; candles whose prices are not usable and positive are
/// left out first (as the chart leaves them out), so one bad row costs a day, not the analysis.
public struct StockStatistics: Sendable, Equatable {
    public var rsi14: Double?
    public var atr14: Double?
    public var hv20: Double?
    public var hv60: Double?
    public var yearRange: YearRange?
    public var trend: Trend?

    /// Computes every statistic from one year (or more) of daily candles.
    public init(candles: [Candle]) {
        let usable = Self.usable(candles)
        rsi14 = Self.rsi(usable, period: 14)
        atr14 = Self.atr(usable, period: 14)
        hv20 = Self.historicalVolatility(usable, days: 20)
        hv60 = Self.historicalVolatility(usable, days: 60)
        yearRange = YearRange(usable)
        trend = Trend(usable)
    }

    /// The candles whose open, high, low and close are usable numbers above 0; the rest cannot be part of any statistic.
    public static func usable(_ candles: [Candle]) -> [Candle] {
        candles.filter { candle in
            [candle.open, candle.high, candle.low, candle.close].allSatisfy { UnusableValue.isUsable($0) && $0 > 0 }
        }
    }
}
