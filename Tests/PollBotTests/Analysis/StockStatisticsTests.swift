@testable import PollBot
import Foundation
import Testing

/// RSI, ATR, historical volatility, the 52-week range and the trend on series whose answers are worked out by hand.
@Suite struct StockStatisticsTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01

    /// Daily candles with these closes; high and low `spread` either side of the close.
    static func candles(_ closes: [Double], spread: Double = 0) -> [Candle] {
        closes.enumerated().map { index, close in
            Candle(time: start.addingTimeInterval(Double(index) * day), open: close, high: close + spread, low: close - spread,
                   close: close, volume: 1000)
        }
    }

    static func close(_ value: Double?, _ expected: Double, within tolerance: Double = 1e-9) -> Bool {
        value.map { abs($0 - expected) <= tolerance } ?? false
    }

    @Test func rsiIsWildersSmoothingWorkedByHand() {
        // Period 2 over 10, 11, 10.5, 12: changes +1, -0.5, +1.5. First averages: gain 0.5, loss 0.25. Then
        // gain (0.5 + 1.5)/2 = 1, loss (0.25 + 0)/2 = 0.125: RS 8, RSI 100 - 100/9.
        #expect(Self.close(StockStatistics.rsi(Self.candles([10, 11, 10.5, 12]), period: 2), 100 - 100.0 / 9))
        // Period 14: ten rises of 1 and four falls of 1 give RS 10/4, RSI 100 - 100/3.5. One more rise of 2: gain
        // (10/14·13 + 2)/14 = 158/196, loss (4/14·13)/14 = 52/196, RSI 100 - 100/(1 + 158/52).
        var closes = [100.0]
        for change in Array(repeating: 1.0, count: 10) + Array(repeating: -1.0, count: 4) { closes.append(closes.last! + change) }
        #expect(Self.close(StockStatistics.rsi(Self.candles(closes)), 100 - 100 / 3.5))
        closes.append(closes.last! + 2)
        #expect(Self.close(StockStatistics.rsi(Self.candles(closes)), 100 - 100 / (1 + 158.0 / 52)))
    }

    @Test func rsiNeedsPeriodPlusOneClosesAndHasDocumentedEdges() {
        #expect(StockStatistics.rsi(Self.candles(Array(repeating: 50, count: 14))) == nil)
        // No change at all: 50. Only rises: 100. Only falls: 0.
        #expect(StockStatistics.rsi(Self.candles(Array(repeating: 50, count: 15))) == 50)
        #expect(StockStatistics.rsi(Self.candles((0..<30).map { 100 + Double($0) })) == 100)
        #expect(StockStatistics.rsi(Self.candles((0..<30).map { 100 - Double($0) })) == 0)
        #expect(StockStatistics.rsi(Self.candles([1, 2, 3]), period: 0) == nil)
    }

    @Test func atrIsWildersTrueRangeWorkedByHand() {
        // (high, low, close): the true ranges from the second candle are 2 (high - low), 1 (high - low) and 4 (the gap:
        // high 15 against the previous close 11). Period 2: (2 + 1)/2 = 1.5, then (1.5 + 4)/2 = 2.75.
        let bars: [(Double, Double, Double)] = [(11, 9, 10), (12, 10, 11), (11.5, 10.5, 11), (15, 14, 14.5)]
        let candles = bars.enumerated().map { index, bar in
            Candle(time: Self.start.addingTimeInterval(Double(index) * Self.day), open: bar.2, high: bar.0, low: bar.1,
                   close: bar.2, volume: 1)
        }
        #expect(Self.close(StockStatistics.atr(candles, period: 2), 2.75))
        #expect(Self.close(StockStatistics.atr(Array(candles.prefix(3)), period: 2), 1.5))
        #expect(StockStatistics.atr(Array(candles.prefix(2)), period: 2) == nil)
        // A steady range of 2 (high and low 1 either side, flat closes) is an ATR of 2; fourteen candles are too few.
        #expect(Self.close(StockStatistics.atr(Self.candles(Array(repeating: 100, count: 40), spread: 1)), 2))
        #expect(StockStatistics.atr(Self.candles(Array(repeating: 100, count: 14), spread: 1)) == nil)
    }

    @Test func historicalVolatilityIsTheAnnualisedSampleDeviationOfLogReturns() {
        // Alternating 100 and 110: twenty returns of ±ln 1.1 with mean 0, so the sample deviation is ln 1.1·√(20/19).
        let closes = (0...20).map { $0 % 2 == 0 ? 100.0 : 110 }
        let expected = log(1.1) * (20.0 / 19).squareRoot() * 252.0.squareRoot()
        #expect(Self.close(StockStatistics.historicalVolatility(Self.candles(closes), days: 20), expected))
        #expect(StockStatistics.historicalVolatility(Self.candles(Array(closes.prefix(20))), days: 20) == nil)
        // Only the last `days` returns count: a calm tail after a wild start is calm.
        let calmTail = [100.0, 300, 50] + Array(repeating: 80, count: 21)
        #expect(StockStatistics.historicalVolatility(Self.candles(calmTail), days: 20) == 0)
        #expect(StockStatistics.historicalVolatility(Self.candles(Array(repeating: 100, count: 61)), days: 60) == 0)
    }

    @Test func theYearRangeCountsOnlyTheLast52Weeks() throws {
        // 400 days rising from 100 by 1 a day, then the last close falls back to 400: the window starts 364 days before
        // the last candle (index 35), so its low is 135 - 1 and its high 498 + 1.
        var closes = (0..<400).map { 100 + Double($0) }
        closes[399] = 400
        let range = try #require(YearRange(Self.candles(closes, spread: 1)))
        #expect(range.low == 134 && range.high == 499 && range.last == 400)
        #expect(Self.close(range.position, (400.0 - 134) / (499 - 134) * 100))
        #expect(range.coversYear && range.since == Self.start.addingTimeInterval(35 * Self.day))
        // A month of history is a range, but not a 52-week one; a flat one sits at 50 %; no candles, no range.
        let month = try #require(YearRange(Self.candles(Array(repeating: 100, count: 30))))
        #expect(!month.coversYear && month.position == 50)
        #expect(YearRange([]) == nil)
    }

    @Test func theTrendReadsTheOrderOfTheCloseAndTheAverages() throws {
        #expect(try #require(Trend(Self.candles((0..<250).map { 100 + Double($0) }))).direction == .strongUp)
        #expect(try #require(Trend(Self.candles((0..<250).map { 400 - Double($0) }))).direction == .strongDown)
        #expect(try #require(Trend(Self.candles(Array(repeating: 100, count: 200)))).direction == .sideways)
        // A long rise with a recent dip under the 20-day average: still up, not strongly.
        let dip = (0..<240).map { 100 + Double($0) } + (1...5).map { 339 - Double($0) * 2 }
        let trend = try #require(Trend(Self.candles(dip)))
        #expect(trend.close < trend.ma20 && trend.close > trend.ma50 && trend.ma50 > trend.ma200 && trend.direction == .up)
        #expect(Self.close(trend.ma200, (Array(dip.suffix(200)).reduce(0, +)) / 200))
        #expect(Trend(Self.candles(Array(repeating: 100, count: 199))) == nil)
    }

    @Test func unusableCandlesAreLeftOutAndNothingIsNaN() {
        let clean = (0..<260).map { 100 + 10 * sin(Double($0) / 9) }
        var hostile = Self.candles(clean, spread: 1)
        for (offset, value) in [Double.nan, .infinity, -.infinity, 1e308, -5, 0].enumerated() {
            let index = 40 * offset + 7
            let bad = Candle(time: hostile[index].time.addingTimeInterval(3600), open: 100, high: 101, low: 99, close: value,
                             volume: 1)
            hostile.insert(bad, at: index + 1)
        }
        // The bad rows cost nothing: the statistics equal those of the clean series, and all of them are there.
        let statistics = StockStatistics(candles: hostile)
        #expect(statistics == StockStatistics(candles: Self.candles(clean, spread: 1)))
        let numbers = [statistics.rsi14, statistics.atr14, statistics.hv20, statistics.hv60, statistics.yearRange?.position,
                       statistics.trend?.ma200]
        #expect(numbers.allSatisfy { $0?.isFinite == true })
        // Nothing, or nothing usable, gives nothing.
        let empty = StockStatistics(candles: [])
        #expect(empty.rsi14 == nil && empty.atr14 == nil && empty.hv20 == nil && empty.hv60 == nil && empty.yearRange == nil
            && empty.trend == nil)
        #expect(StockStatistics(candles: Self.candles([.nan, .infinity, -1, 0, 1e300])) == empty)
    }

    @Test func aYearOfCandlesTakesWellUnderTwentyMilliseconds() {
        let year = Self.candles((0..<252).map { 1000 + 50 * sin(Double($0) / 11) + Double($0) }, spread: 5)
        let clock = ContinuousClock()
        // Ten runs, so one scheduling hiccup on a busy machine cannot pass for the cost of the work.
        var fastest = Duration.seconds(1)
        for _ in 0..<10 {
            let elapsed = clock.measure { _ = StockStatistics(candles: year) }
            fastest = min(fastest, elapsed)
        }
        #expect(fastest < .milliseconds(20))
    }
}
