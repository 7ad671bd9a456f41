import Foundation

extension StockStatistics {
    /// Wilder's ATR at the last candle, in price units; nil with fewer than `period` + 1 candles.
    ///
    /// A candle's true range is the largest of high - low, |high - previous close| and |low - previous close|, so it needs
    /// the candle before: the first candle gives none. The first ATR is the plain mean of the first `period` true ranges;
    /// each later one is (previous·(period-1) + true range)/period. Candles must be usable (`usable`).
    public static func atr(_ candles: [Candle], period: Int = 14) -> Double? {
        guard period > 0, candles.count > period else { return nil }
        func trueRange(_ index: Int) -> Double {
            let candle = candles[index], previous = candles[index - 1].close
            return max(candle.high - candle.low, abs(candle.high - previous), abs(candle.low - previous))
        }
        var average = 0.0
        for index in 1...period { average += trueRange(index) }
        average /= Double(period)
        for index in stride(from: period + 1, to: candles.count, by: 1) {
            average = (average * Double(period - 1) + trueRange(index)) / Double(period)
        }
        return average
    }
}
