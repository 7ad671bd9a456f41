import Foundation

extension StockStatistics {
    /// Wilder's RSI of the closes at the last candle, 0...100; nil with fewer than `period` + 1 candles.
    ///
    /// The first average gain and loss are the plain means of the first `period` changes; each later one is Wilder's
    /// smoothing, (previous·(period-1) + change)/period. With no losses the RSI is 100; with no change at all it is 50,
    /// neither side having the upper hand. Candles must be usable (`usable`).
    public static func rsi(_ candles: [Candle], period: Int = 14) -> Double? {
        guard period > 0, candles.count > period else { return nil }
        var gain = 0.0, loss = 0.0
        for index in 1...period {
            let change = candles[index].close - candles[index - 1].close
            gain += max(change, 0)
            loss += max(-change, 0)
        }
        gain /= Double(period)
        loss /= Double(period)
        let weight = Double(period - 1)
        for index in stride(from: period + 1, to: candles.count, by: 1) {
            let change = candles[index].close - candles[index - 1].close
            gain = (gain * weight + max(change, 0)) / Double(period)
            loss = (loss * weight + max(-change, 0)) / Double(period)
        }
        if loss == 0 { return gain == 0 ? 50 : 100 }
        return 100 - 100 / (1 + gain / loss)
    }
}
