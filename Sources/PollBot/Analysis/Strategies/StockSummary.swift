import Foundation

/// The stock part of an analysis: the price, its change, and the statistics of a year of daily candles.
public struct StockSummary: Sendable, Equatable {
    public var instrument: Instrument
    /// The quote's last price, else the last usable close; nil when neither is a usable price above 0.
    public var lastPrice: Double?
    /// Against the quote's previous close; nil without one.
    public var change: Double?
    /// The change in percent of the previous close.
    public var changePercent: Double?
    public var ma20: Double?
    public var ma50: Double?
    public var ma200: Double?
    /// RSI(14), ATR(14), HV20/HV60, the 52-week range and the trend.
    public var statistics: StockStatistics
    /// The chart's levels (`Indicators.supportResistance`), nearest first.
    public var support: [Double]
    public var resistance: [Double]

    /// Reads the quote and the candles (oldest first); unusable candles are left out as the statistics leave them out.
    public init(instrument: Instrument, quote: Quote, candles: [Candle]) {
        self.instrument = instrument
        let usable = StockStatistics.usable(candles)
        lastPrice = Self.price(quote.ltp) ?? usable.last.flatMap { Self.price($0.close) }
        if let lastPrice, let previous = Self.price(quote.previousClose) {
            change = lastPrice - previous
            changePercent = (lastPrice - previous) / previous * 100
        }
        // The averages stand on their own: a half-year history still has MA20 and MA50, though no trend without MA200.
        func average(_ period: Int) -> Double? { Indicators.movingAverage(usable, period: period).last ?? nil }
        (ma20, ma50, ma200) = (average(20), average(50), average(200))
        statistics = StockStatistics(candles: usable)
        (support, resistance) = Indicators.supportResistance(usable)
    }

    /// The volatility the option maths falls back on when a leg has none: HV60, else HV20.
    public var fallbackVolatility: Double? { statistics.hv60 ?? statistics.hv20 }

    /// `value` when it is a usable price above 0.
    static func price(_ value: Double) -> Double? { UnusableValue.isUsable(value) && value > 0 ? value : nil }
}
