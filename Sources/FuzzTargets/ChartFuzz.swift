#if DEBUG
import Foundation
import PollBot

/// The chart renderer with arbitrary candles (NaN, infinities, 1e308, negative and absurd times, up to 40 candles),
/// warm-up candles and marks, on a small canvas so each run stays short: it draws a PNG or says there is no data,
/// never traps and never hangs (libFuzzer's -timeout catches a hang).
enum ChartFuzz {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47]

    static func run(_ data: [UInt8]) throws {
        var input = FuzzBytes(data)
        let settings = input.byte()
        let count = Int(input.byte()) % 41
        let warmUpCount = Int(input.byte()) % 8
        let markCount = Int(settings >> 4) % 4
        let spacing = (settings & 1) == 0 ? 60.0 : 86_400
        let start = 1_700_000_000.0
        func candles(_ count: Int, from first: Double) -> [Candle] {
            (0..<count).map { index in
                // Mostly in order, as the broker sends them; a special byte puts the time anywhere at all.
                let shift = input.byte()
                let time = shift < 8 ? input.double() : first + Double(index) * spacing * Double(shift % 4 + 1)
                return Candle(time: Date(timeIntervalSince1970: time), open: input.double(), high: input.double(),
                              low: input.double(), close: input.double(), volume: input.double())
            }
        }
        let warmUp = candles(warmUpCount, from: start - 200 * spacing)
        let shown = candles(count, from: start)
        var spec = ChartSpec(instrument: Instrument("FUZZ", "NSE"), interval: (settings & 1) == 0 ? "1m" : "D",
                             kind: (settings & 1) == 0 ? .intraday : .daily, candles: shown, warmUp: warmUp,
                             theme: (settings & 2) == 0 ? .light : .dark, demo: (settings & 4) != 0, width: 160, height: 100)
        spec.marks = (0..<markCount).map { index in
            ChartMark(price: input.double(), label: "K\(index)", kind: index % 2 == 0 ? .strike : .breakeven)
        }
        do {
            let png = try ChartRenderer.png(spec)
            try require(Array(png.prefix(4)) == pngSignature, "the chart is not a PNG")
        } catch ChartError.noData {
            try require(!shown.contains(where: \.isDrawable), "noData with a drawable candle")
        }
    }
}
#endif
