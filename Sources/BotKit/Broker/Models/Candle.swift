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
        time = Date(timeIntervalSince1970: try container.number(.timestamp))
        open = try container.number(.open)
        high = try container.number(.high)
        low = try container.number(.low)
        close = try container.number(.close)
        volume = try container.number(.volume)
    }
}

/// The bar sizes a broker offers for `history`, in OpenAlgo's spelling (`5m`, `1h`, `D`).
public struct Intervals: Decodable, Sendable, Equatable {
    public var all: [String]

    public init(_ all: [String]) { self.all = all }

    public init(from decoder: any Decoder) throws {
        let groups = try decoder.singleValueContainer().decode([String: [String]].self)
        let order = ["seconds", "minutes", "hours", "days", "weeks", "months"]
        all = order.flatMap { groups[$0] ?? [] }
    }
}
