import Foundation

extension StockStatistics {
    /// Trading days in a year, the factor that annualises daily volatility (√252).
    public static let tradingDaysPerYear = 252.0

    /// Close-to-close historical volatility over the last `days` daily log returns, annualised (a fraction: 0.25 is
    /// 25 %); nil with fewer than `days` + 1 candles or fewer than 2 returns.
    ///
    /// The standard deviation is the sample one (divided by `days` - 1), the usual choice for HV20/HV60. Closes must be
    /// above 0 (`usable`).
    public static func historicalVolatility(_ candles: [Candle], days: Int) -> Double? {
        historicalVolatility(closes: candles.map(\.close), days: days)
    }

    /// The same over closes, oldest first.
    public static func historicalVolatility(closes: [Double], days: Int) -> Double? {
        guard days >= 2, closes.count > days else { return nil }
        let start = closes.count - days
        var sum = 0.0
        for index in start..<closes.count { sum += log(closes[index] / closes[index - 1]) }
        let mean = sum / Double(days)
        var squares = 0.0
        for index in start..<closes.count {
            let deviation = log(closes[index] / closes[index - 1]) - mean
            squares += deviation * deviation
        }
        let volatility = (squares / Double(days - 1) * tradingDaysPerYear).squareRoot()
        // Closes 1e-300 and 9.9e14 apart are each usable, their ratio is not: no volatility then, never NaN.
        return volatility.isFinite ? volatility : nil
    }
}
