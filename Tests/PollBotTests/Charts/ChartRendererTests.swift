import BotKit
@testable import PollBot
import Foundation
import Testing

/// Rendered charts, decoded and sampled: what is drawn is checked by pixels, never by comparing whole files.
@Suite struct ChartRendererTests {
    static let up: UInt32 = 0x1E9E6A, down: UInt32 = 0xE0413C, ma200: UInt32 = 0x9C27B0

    /// `count` daily candles from 2020-01-01, each step `drift` (a steady rise when positive).
    static func candles(_ count: Int, start: Double = 100, drift: Double = 0.5, volume: Double = 1000,
                        every: TimeInterval = 86_400) -> [Candle] {
        (0..<count).map { index in
            let open = start + Double(index) * drift
            let close = open + drift * 0.8
            return Candle(time: Date(timeIntervalSince1970: 1_577_836_800 + Double(index) * every), open: open,
                          high: max(open, close) + 0.3, low: min(open, close) - 0.3, close: close, volume: volume)
        }
    }

    static func render(_ candles: [Candle], kind: ChartSpec.Kind = .daily, theme: ChartTheme = .light) throws -> PNGImage {
        let png = try ChartRenderer.png(ChartSpec(instrument: Instrument("TEST_1", "NSE"), interval: kind == .daily ? "D" : "5m",
                                                  kind: kind, candles: candles, theme: theme))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let image = try #require(PNGImage(png))
        #expect(image.width == 1280 && image.height == 720)
        return image
    }

    @Test func aRisingSeriesEndsWithAGreenCandleAtTheRightEdgeOnTheThemesBackground() throws {
        let image = try Self.render(Self.candles(120))
        #expect(image.pixel(2, 2) == 0xFFFFFF && image.pixel(1276, 716) == 0xFFFFFF)
        // The last candle's column (plot from x=14 to 1188) holds green and no red.
        let slot = (1188.0 - 14) / 120, lastX = Int(14 + 119.5 * slot)
        #expect(image.count(Self.up, x: (lastX - 1)..<(lastX + 2), y: 70..<520) > 3)
        #expect(image.count(Self.down, x: (lastX - 1)..<(lastX + 2), y: 70..<520) == 0)
        // The right half of the plot, candles only, is green; nothing in it is red.
        #expect(image.count(Self.down, x: 600..<1188, y: 70..<520) == 0)

        let dark = try Self.render(Self.candles(120), theme: .dark)
        #expect(dark.pixel(2, 2) == 0x131722 && dark.pixel(1276, 716) == 0x131722)
    }

    @Test func theMA200IsDrawnOnlyWithEnoughCandles() throws {
        #expect(try Self.render(Self.candles(100)).count(Self.ma200, tolerance: 20) == 0)
        #expect(try Self.render(Self.candles(300)).count(Self.ma200, tolerance: 20) > 200)
    }

    @Test func intradayChartsDrawVWAPWhenThereIsVolume() throws {
        let vwap: UInt32 = 0xF08C00
        let minutes = Self.candles(150, every: 300)
        #expect(try Self.render(minutes, kind: .intraday).count(vwap, tolerance: 20) > 200)
        let noVolume = Self.candles(150, volume: 0, every: 300)
        #expect(try Self.render(noVolume, kind: .intraday).count(vwap, tolerance: 20) == 0)
    }

    @Test func edgeCasesRenderWithoutCrashing() throws {
        #expect(throws: ChartError.self) { try ChartRenderer.png(ChartSpec(instrument: Instrument("X", "NSE"), interval: "D", kind: .daily, candles: [])) }
        let single = try Self.render(Self.candles(1))
        #expect(single.count(Self.up) > 20)
        let flat = (0..<50).map { Candle(time: Date(timeIntervalSince1970: 1_600_000_000 + Double($0) * 86_400), open: 10, high: 10, low: 10, close: 10, volume: 5) }
        _ = try Self.render(flat)
        _ = try Self.render(Self.candles(60, volume: 0))  // missing volume: "no volume data"
        _ = try Self.render(Self.candles(60, volume: 4e15))  // huge volumes
        var gappy = Self.candles(80, every: 300)
        for index in 40..<80 { gappy[index].time += 3 * 86_400 }  // a long weekend in the middle
        _ = try Self.render(gappy, kind: .intraday)
        let long = try Self.render(Self.candles(2000, drift: 0.05))
        #expect(long.count(Self.ma200, tolerance: 20) > 200)
    }

    @Test func indicatorsComputeWhatTheySay() {
        let candles = Self.candles(10)
        let ma = Indicators.movingAverage(candles, period: 3)
        #expect(ma[1] == nil && ma[2] == (candles[0].close + candles[1].close + candles[2].close) / 3)
        // VWAP restarts each session: the first candle of a session is its own typical price.
        let vwap = Indicators.vwap(candles) { Int($0.timeIntervalSince1970 / 86_400) / 2 }
        let typical = (candles[2].high + candles[2].low + candles[2].close) / 3
        #expect(vwap[2] == typical)
        #expect(vwap[3] != (candles[3].high + candles[3].low + candles[3].close) / 3)
        // A zigzag between 90 and 110 ending at 100 has support near 90 and resistance near 110.
        let zigzag = (0..<120).map { index -> Candle in
            let phase = Double(index % 20), price = 90 + (phase < 10 ? phase : 20 - phase) * 2
            return Candle(time: Date(timeIntervalSince1970: Double(index) * 86_400), open: price, high: price + 0.5, low: price - 0.5,
                          close: index == 119 ? 100 : price, volume: 1)
        }
        let levels = Indicators.supportResistance(zigzag)
        #expect(levels.support.first.map { abs($0 - 89.5) < 1 } == true)
        #expect(levels.resistance.first.map { abs($0 - 110.5) < 1 } == true)
    }
}
