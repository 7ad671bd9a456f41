import BotKit
@testable import PollBot
import Foundation
import Testing

/// Support and resistance as the doc comment of `Indicators.supportResistance` ranks them.
@Suite struct IndicatorsTests {
    /// Flat candles (open = high = low = close) at these prices, one a day.
    static func candles(_ prices: [Double]) -> [Candle] {
        prices.enumerated().map { index, price in
            Candle(time: Date(timeIntervalSince1970: 1_577_836_800 + Double(index) * 86_400), open: price, high: price, low: price,
                   close: price, volume: 1)
        }
    }

    @Test func levelsRankByDistanceFromTheLastCloseNotByTouches() {
        // Resistance: 120 is touched three times, 105 once; support: 80 three times, 95 once. The last close is 100.
        let prices: [Double] = [100, 120, 100, 120, 100, 120, 100, 105, 100, 80, 100, 80, 100, 80, 100, 95, 100]
        let levels = Indicators.supportResistance(Self.candles(prices), radius: 1)
        #expect(levels.resistance == [105, 120])
        #expect(levels.support == [95, 80])
        // With room for one level a side, the nearer one wins over the more touched one.
        let nearest = Indicators.supportResistance(Self.candles(prices), radius: 1, count: 1)
        #expect(nearest.resistance == [105] && nearest.support == [95])
    }

    @Test func levelsWithinAThirdOfTheToleranceOfTheLastCloseAreNeither() {
        // 100.4 is within 0.5% (a third of 1.5%) of the last close 100, so it is neither support nor resistance.
        let prices: [Double] = [90, 100.4, 90, 100.4, 90, 110, 90, 100]
        let levels = Indicators.supportResistance(Self.candles(prices), radius: 1)
        #expect(levels.resistance == [110])
        #expect(levels.support == [90])
        #expect(!levels.support.contains { abs($0 - 100.4) < 0.01 } && !levels.resistance.contains { abs($0 - 100.4) < 0.01 })
    }
}
