import BotKit
@testable import PollBot
import Foundation
import Testing

/// Strikes and breakevens on a rendered chart, found by their colours on the rows where the renderer puts their prices.
@Suite struct ChartMarkTests {
    static let strike: UInt32 = 0xC51162, breakeven: UInt32 = 0x795548
    /// 120 daily candles rising from 1400 to about 1460.
    static let candles = ChartRendererTests.candles(120, start: 1400, drift: 0.5)

    static func spec(_ marks: [ChartMark], theme: ChartTheme = .light) -> ChartSpec {
        var spec = ChartSpec(instrument: Instrument("TEST_1", "NSE"), interval: "D", kind: .daily, candles: candles, theme: theme)
        spec.marks = marks
        return spec
    }

    static func render(_ marks: [ChartMark], theme: ChartTheme = .light) throws -> PNGImage {
        try #require(PNGImage(try ChartRenderer.png(spec(marks, theme: theme))))
    }

    /// The geometry the renderer itself uses for `marks`.
    static func layout(_ marks: [ChartMark]) -> ChartLayout {
        ChartLayout(spec: spec(marks), canvas: CairoCanvas(width: 1280, height: 720))
    }

    /// Pixels of `color` on the two rows a mark at `price` is drawn on, left of where labels go.
    static func onRow(_ image: PNGImage, _ color: UInt32, price: Double, layout: ChartLayout) -> Int {
        let row = Int(layout.y(price).rounded())
        return image.count(color, tolerance: 16, x: 14..<1000, y: (row - 1)..<(row + 1))
    }

    @Test func eachMarkIsADashedLineInItsKindsColourOnItsPricesRowAndInTheLegend() throws {
        let marks = [ChartMark(price: 1420, label: "Put 1420", kind: .strike), ChartMark(price: 1445, label: "BE 1445", kind: .breakeven)]
        let image = try Self.render(marks), layout = Self.layout(marks)
        let strikeRow = Self.onRow(image, Self.strike, price: 1420, layout: layout)
        // Dashed: much of the row, but not all of it.
        #expect(strikeRow > 600 && strikeRow < 1900, "\(strikeRow)")
        #expect(Self.onRow(image, Self.breakeven, price: 1445, layout: layout) > 600)
        // Each colour is on its own row only, not the other's.
        #expect(Self.onRow(image, Self.strike, price: 1445, layout: layout) == 0)
        #expect(Self.onRow(image, Self.breakeven, price: 1420, layout: layout) == 0)
        // The legend (its sample lines at y 49) names both.
        #expect(image.count(Self.strike, tolerance: 16, y: 40..<58) > 10)
        #expect(image.count(Self.breakeven, tolerance: 16, y: 40..<58) > 10)

        let plain = try Self.render([])
        #expect(plain.count(Self.strike, tolerance: 16) == 0)
        #expect(plain.count(Self.breakeven, tolerance: 16) == 0)
        // Only the kinds drawn are in the legend.
        let strikeOnly = try Self.render([marks[0]])
        #expect(strikeOnly.count(Self.breakeven, tolerance: 16) == 0)

        let dark = try Self.render(marks, theme: .dark)
        #expect(Self.onRow(dark, 0xFF4081, price: 1420, layout: layout) > 600)
        #expect(Self.onRow(dark, 0xBCAAA4, price: 1445, layout: layout) > 600)
    }

    @Test func aStrikeBelowTheCandlesWidensTheAxisSoItIsDrawn() throws {
        let lowest = Self.candles.map(\.low).min()!
        let strike = ChartMark(price: (lowest * 0.92).rounded(), label: "Put 1288", kind: .strike)
        let plain = Self.layout([]), widened = Self.layout([strike])
        #expect(plain.low > strike.price)  // without the mark in the range, it would be off the chart
        #expect(widened.low < strike.price && widened.high >= plain.high)
        let row = widened.y(strike.price)
        #expect(row > widened.top && row < widened.priceBottom)
        #expect(Self.onRow(try Self.render([strike]), Self.strike, price: strike.price, layout: widened) > 600)
    }

    @Test func hostileMarksAreSkippedAndLeaveThePictureAsItWas() throws {
        let hostile = [Double.nan, .infinity, -.infinity, -5, 0, 1e308, -1e308, 1e-9, .leastNonzeroMagnitude, 1400 * 40]
            .map { ChartMark(price: $0, label: "bad \($0)", kind: .strike) }
        #expect(ChartMarks.drawable(hostile, low: 1399.7, high: 1460).isEmpty)
        let plain = try ChartRenderer.png(Self.spec([]))
        #expect(try ChartRenderer.png(Self.spec(hostile)) == plain)
        // Mixed with a good one, only the good one counts: the same picture as the good one alone.
        let good = ChartMark(price: 1430, label: "Put 1430", kind: .strike)
        #expect(try ChartRenderer.png(Self.spec(hostile + [good])) == ChartRenderer.png(Self.spec([good])))
        #expect(Self.layout(hostile).low == Self.layout([]).low && Self.layout(hostile).high == Self.layout([]).high)
        // Candles that give no span to measure from keep no mark either, rather than dividing by nothing.
        #expect(ChartMarks.drawable([good], low: 0, high: 0).isEmpty)
        #expect(ChartMarks.drawable([good], low: -.infinity, high: .infinity).isEmpty)
    }

    @Test func labelsThatWouldOverlapAreNudgedApart() throws {
        let apart = ChartMarks.nudged([200, 203], height: 19, top: 70, bottom: 500)
        #expect(apart[1] - apart[0] >= 19 - 1e-9)
        #expect(abs((apart[0] + apart[1]) / 2 - 201.5) < 1e-9)  // split evenly around where they wanted to be
        // Order given is kept, whatever the heights; far labels do not move.
        let three = ChartMarks.nudged([300, 150, 298, 400], height: 19, top: 70, bottom: 500)
        #expect(three[1] == 150 && three[3] == 400)
        #expect(three[0] - three[2] >= 19 - 1e-9)
        // At the edges they slide back inside the pane, still apart.
        let top = ChartMarks.nudged([60, 62, 64], height: 19, top: 70, bottom: 500)
        #expect(top.sorted() == top && top[0] >= 79.5 && zip(top, top.dropFirst()).allSatisfy { $1 - $0 >= 19 - 1e-9 })
        let bottom = ChartMarks.nudged([499, 495], height: 19, top: 70, bottom: 500)
        #expect(bottom.allSatisfy { $0 <= 490.5 } && abs(bottom[0] - bottom[1]) >= 19 - 1e-9)
        #expect(ChartMarks.nudged([], height: 19, top: 70, bottom: 500).isEmpty)

        // In the picture: two strikes a rupee apart fill twice the label rows of one.
        func labelRows(_ marks: [ChartMark]) throws -> Int {
            let image = try Self.render(marks)
            return (70..<560).filter { row in image.count(Self.strike, tolerance: 16, x: 1120..<1184, y: row..<(row + 1)) > 0 }.count
        }
        let one = try labelRows([ChartMark(price: 1420, label: "Put 1420", kind: .strike)])
        let two = try labelRows([ChartMark(price: 1420, label: "Put 1420", kind: .strike), ChartMark(price: 1421, label: "Put 1421", kind: .strike)])
        #expect(one >= 17 && one <= 22, "\(one)")
        #expect(two >= 2 * 17, "\(two)")
    }

    @Test func atMostEightMarksAreDrawnTheFirstOnesGivenWithinTheTimeLimit() async throws {
        let many = (0..<20).map { ChartMark(price: 1380 + Double($0) * 5, label: "Strike \($0)", kind: $0 % 2 == 0 ? .strike : .breakeven) }
        #expect(ChartMarks.drawable(many, low: 1399.7, high: 1460) == Array(many.prefix(8)))
        #expect(Self.layout(many).marks == Array(many.prefix(8)))
        // The worker the bot uses, with its usual limit: past it, `render` throws `ChartTimeout` instead of returning.
        let png = try await ChartWorker().render(Self.spec(many))
        let image = try #require(PNGImage(png))
        // The ninth mark (1420, a strike) is not drawn; the seventh (1410, a strike) is.
        let layout = Self.layout(many)
        #expect(Self.onRow(image, Self.strike, price: many[6].price, layout: layout) > 600)
        #expect(Self.onRow(image, Self.strike, price: many[8].price, layout: layout) < 50)
    }

    @Test func labelsAreCutOrFallBackToThePrice() {
        #expect(ChartMarks.text(ChartMark(price: 1400, label: "Put 1400", kind: .strike)) == "Put 1400")
        #expect(ChartMarks.text(ChartMark(price: 1372.5, label: "  ", kind: .breakeven)) == DisplayFormat(currency: "").number(1372.5))
        #expect(ChartMarks.text(ChartMark(price: 1400, label: "Put\n1400\u{0}\t", kind: .strike)) == "Put 1400")
        let long = ChartMarks.text(ChartMark(price: 1400, label: String(repeating: "x", count: 500), kind: .strike))
        #expect(long.count == ChartMarks.maxLabel && long.hasSuffix("\u{2026}"))
    }
}
