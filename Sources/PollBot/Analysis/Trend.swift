import Foundation

/// The trend read from the last close against its 20-, 50- and 200-day moving averages.
public struct Trend: Sendable, Equatable {
    /// The direction, from the order of the close and the averages.
    public enum Direction: String, Sendable {
        case strongUp = "strong uptrend", up = "uptrend", sideways = "sideways", down = "downtrend",
             strongDown = "strong downtrend"
    }

    public var close: Double
    public var ma20: Double
    public var ma50: Double
    public var ma200: Double
    public var direction: Direction

    /// Nil with fewer than 200 candles. Strong: close, MA20, MA50 and MA200 stacked in order (above each other for up,
    /// below for down). Otherwise up when the close is above MA50 and MA50 above MA200, down for the mirror, and sideways
    /// when the close and the averages disagree. Candles must be usable (`StockStatistics.usable`) and oldest first.
    public init?(_ candles: [Candle]) {
        guard let close = candles.last?.close, let ma20 = Indicators.movingAverage(candles, period: 20).last ?? nil,
              let ma50 = Indicators.movingAverage(candles, period: 50).last ?? nil,
              let ma200 = Indicators.movingAverage(candles, period: 200).last ?? nil
        else { return nil }
        self.close = close
        self.ma20 = ma20
        self.ma50 = ma50
        self.ma200 = ma200
        direction = if close > ma20 && ma20 > ma50 && ma50 > ma200 { .strongUp }
            else if close < ma20 && ma20 < ma50 && ma50 < ma200 { .strongDown }
            else if close > ma50 && ma50 > ma200 { .up }
            else if close < ma50 && ma50 < ma200 { .down }
            else { .sideways }
    }
}
