import BotKit
import Foundation

/// What one chart shows: whose candles, at which interval, in which theme.
public struct ChartSpec: Sendable {
    public enum Kind: String, Sendable { case intraday, daily }

    public var instrument: Instrument
    public var interval: String
    public var kind: Kind
    public var candles: [Candle]
    /// Candles before the ones shown, used only to start the moving averages (so MA200 spans the whole chart).
    public var warmUp: [Candle]
    public var theme: ChartTheme
    /// Dates and times on the axis are in this zone (the exchange's).
    public var timeZone: TimeZone
    public var demo: Bool
    /// Labelled lines drawn across the chart (an analysis's strikes and breakevens).
    public var marks: [ChartMark] = []
    public var width: Int
    public var height: Int

    public init(instrument: Instrument, interval: String, kind: Kind, candles: [Candle], warmUp: [Candle] = [], theme: ChartTheme = .light,
                timeZone: TimeZone = MarketCalendar.india.timeZone, demo: Bool = false, width: Int = 1280, height: Int = 720) {
        self.instrument = instrument
        self.interval = interval
        self.kind = kind
        self.candles = candles
        self.warmUp = warmUp
        self.theme = theme
        self.timeZone = timeZone
        self.demo = demo
        self.width = width
        self.height = height
    }

    /// Change over the range shown: last close against the first candle's open, in percent.
    public var changePercent: Double {
        guard let first = candles.first, let last = candles.last, first.open != 0 else { return 0 }
        return (last.close - first.open) / first.open * 100
    }
}
