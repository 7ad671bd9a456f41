import BotKit
import Foundation

/// One OHLCV bar; `time` is the bar's start.
public struct Candle: Decodable, Sendable, Equatable {
    public var time: Date
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    public init(time: Date, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.time = time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    enum CodingKeys: String, CodingKey { case timestamp, open, high, low, close, volume }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let time = try UnusableValue.naming("a candle") { try container.moment(.timestamp) }
        self.time = time
        (open, high, low, close, volume) = try UnusableValue.naming("the candle of \(time.formatted(.iso8601))") {
            (try container.number(.open), try container.number(.high), try container.number(.low), try container.number(.close),
             try container.number(.volume))
        }
    }

    /// True when the chart's arithmetic is safe with this candle: prices finite and below 10^15, volume finite, time between
    /// 1990 and 2100. The renderer skips other candles, since the paper broker and future callers build candles without decoding.
    public var isDrawable: Bool {
        UnusableValue.isUsable(open) && UnusableValue.isUsable(high) && UnusableValue.isUsable(low) && UnusableValue.isUsable(close)
            && volume.isFinite && UnusableValue.moments.contains(time.timeIntervalSince1970)
    }
}
