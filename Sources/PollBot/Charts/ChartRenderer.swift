import BotKit
import Foundation

/// Draws a candlestick chart with cairo: candles over a volume pane on a category axis
/// (no gaps for nights, weekends or holidays), a right-hand price axis with round ticks,
/// the last price marked, and the studies of its kind (VWAP intraday; MA20/50/200 and
/// support/resistance daily), and the spec's marks (strikes, breakevens) as labelled dashed lines.
public enum ChartRenderer {
    /// The chart as PNG bytes; blocking, so call it through `ChartWorker`. Candles that are not `isDrawable`
    /// (NaN, infinite, absurd, or outside 1990 to 2100) are left out rather than trusted to the axis arithmetic.
    public static func png(_ spec: ChartSpec) throws -> Data {
        var spec = spec
        if !spec.candles.allSatisfy(\.isDrawable) || !spec.warmUp.allSatisfy(\.isDrawable) {
            spec.candles = spec.candles.filter(\.isDrawable)
            spec.warmUp = spec.warmUp.filter(\.isDrawable)
        }
        guard !spec.candles.isEmpty else { throw ChartError.noData }
        let canvas = CairoCanvas(width: spec.width, height: spec.height)
        ChartLayout(spec: spec, canvas: canvas).draw()
        return try canvas.png()
    }

    /// At most this many price ticks are drawn, whatever the range.
    static let maxTicks = 40

    /// Round price ticks from `low` to `high` and their step: each above the one before and at most `maxTicks`, so
    /// a range the step cannot cross (a span of a few ulps near 10^14, where `tick + step == tick`) still ends.
    static func ticks(low: Double, high: Double) -> (values: [Double], step: Double) {
        let step = ChartLayout.niceStep((high - low) / 7)
        let first = (low / step).rounded(.up) * step
        var values: [Double] = []
        for index in 0..<maxTicks {
            // Multiplying instead of adding keeps rounding errors from piling up tick after tick.
            let tick = first + Double(index) * step
            guard tick.isFinite, tick <= high else { break }
            if let last = values.last, tick <= last { continue }
            values.append(tick)
        }
        return (values, step)
    }

    /// The index ranges to draw as separate lines: runs of non-nil `values`, also split before each index in
    /// `restarts`, so a study that starts again each session (VWAP) has no join across the session boundary.
    static func segments(_ values: [Double?], restarts: Set<Int>) -> [Range<Int>] {
        var segments: [Range<Int>] = []
        var start: Int?
        for index in values.indices {
            if let open = start, values[index] == nil || restarts.contains(index) {
                segments.append(open..<index)
                start = nil
            }
            if values[index] != nil, start == nil { start = index }
        }
        if let open = start { segments.append(open..<values.count) }
        return segments
    }
}

/// A study drawn as lines over the candles, starting a new line at each index in `restarts`.
private struct Series {
    var label: String
    var color: ChartTheme.Color
    var values: [Double?]
    var restarts: Set<Int>
}

/// One drawing pass: the geometry of the panes and the steps that fill them.
struct ChartLayout {
    let spec: ChartSpec
    let canvas: CairoCanvas
    let theme: ChartTheme
    let candles: [Candle]
    let left = 14.0, top = 70.0
    let right: Double, bottom: Double, priceBottom: Double, volumeTop: Double
    let slot: Double
    let low: Double, high: Double
    let calendar: Calendar
    fileprivate let series: [Series]
    let levels: (support: [Double], resistance: [Double])
    /// The spec's marks that `ChartMarks.drawable` kept.
    let marks: [ChartMark]

    init(spec: ChartSpec, canvas: CairoCanvas) {
        self.spec = spec
        self.canvas = canvas
        let theme = spec.theme, candles = spec.candles
        self.theme = theme
        self.candles = candles
        right = Double(spec.width) - 92
        bottom = Double(spec.height) - 36
        priceBottom = top + (bottom - top) * 0.76
        volumeTop = priceBottom + 12
        slot = (right - left) / Double(candles.count)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = spec.timeZone
        self.calendar = calendar
        let series: [Series]
        let levels: (support: [Double], resistance: [Double])
        switch spec.kind {
        case .intraday:
            let sessions = candles.map { calendar.ordinality(of: .day, in: .era, for: $0.time) ?? 0 }
            let vwap = Indicators.vwap(candles, sessions: sessions)
            let restarts = Set(sessions.indices.dropFirst().filter { sessions[$0] != sessions[$0 - 1] })
            series = vwap.contains { $0 != nil } ? [Series(label: "VWAP", color: theme.vwap, values: vwap, restarts: restarts)] : []
            levels = ([], [])
        case .daily:
            let history = spec.warmUp + candles
            series = [(20, theme.ma20), (50, theme.ma50), (200, theme.ma200)].compactMap { period, color in
                let values = Array(Indicators.movingAverage(history, period: period).suffix(candles.count))
                return values.contains { $0 != nil } ? Series(label: "MA\(period)", color: color, values: values, restarts: []) : nil
            }
            levels = Indicators.supportResistance(candles)
        }
        self.series = series
        self.levels = levels
        var low = candles.map(\.low).min()!, high = candles.map(\.high).max()!
        marks = ChartMarks.drawable(spec.marks, low: low, high: high)
        for value in series.flatMap({ $0.values.compactMap { $0 } }) + levels.support + levels.resistance + marks.map(\.price) {
            low = min(low, value)
            high = max(high, value)
        }
        let pad = high > low ? (high - low) * 0.06 : max(abs(high) * 0.01, 0.5)
        self.low = low - pad
        self.high = high + pad
    }

    func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slot }
    func y(_ price: Double) -> Double { priceBottom - (price - low) / (high - low) * (priceBottom - top) }

    func draw() {
        canvas.color(theme.background)
        canvas.fill(x: 0, y: 0, width: Double(spec.width), height: Double(spec.height))
        drawPriceAxis()
        drawTimeAxis()
        drawVolume()
        drawLevels()
        drawCandles()
        for line in series {
            canvas.color(line.color)
            var points: [(Double, Double)?] = []
            points.reserveCapacity(line.values.count + line.restarts.count)
            for segment in ChartRenderer.segments(line.values, restarts: line.restarts) {
                if !points.isEmpty { points.append(nil) }
                for index in segment { points.append(line.values[index].map { (x(index), y($0)) }) }
            }
            canvas.path(points, width: 1.6)
        }
        drawMarks()
        drawLastPrice()
        drawTitleAndLegend()
    }

    private func drawPriceAxis() {
        let (ticks, step) = ChartRenderer.ticks(low: low, high: high)
        let decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : 2
        for tick in ticks {
            canvas.color(theme.grid)
            canvas.line(from: (left, y(tick)), to: (right, y(tick)))
            canvas.color(theme.mutedText)
            canvas.text(DisplayFormat(currency: "").number(tick, decimals: decimals), x: right + 8, y: y(tick) + 4, size: 12)
        }
        canvas.color(theme.grid)
        canvas.line(from: (right, top), to: (right, bottom))
    }

    private func drawTimeAxis() {
        var lastLabelEnd = -Double.infinity
        for (index, label, isBoundary) in timeLabels() {
            let position = x(index) - slot / 2
            canvas.color(theme.grid)
            canvas.line(from: (position, top), to: (position, bottom), width: 1, dash: isBoundary ? [] : [3, 3])
            let width = canvas.textWidth(label, size: 12)
            guard position - width / 2 > lastLabelEnd + 10, position + width / 2 < Double(spec.width) - 4 else { continue }
            canvas.color(theme.mutedText)
            canvas.text(label, x: max(position, left + width / 2), y: bottom + 22, size: 12, anchor: 0.5)
            lastLabelEnd = position + width / 2
        }
    }

    /// Where the time axis is labelled: session starts (intraday) or month, quarter or year starts (daily).
    private func timeLabels() -> [(Int, String, Bool)] {
        let months = Self.months
        let parts = candles.map { calendar.dateComponents([.year, .month, .day, .hour, .minute], from: $0.time) }
        var labels: [(Int, String, Bool)] = []
        switch spec.kind {
        case .intraday:
            for index in parts.indices where index == 0 || parts[index].day != parts[index - 1].day {
                labels.append((index, "\(parts[index].day!) \(months[parts[index].month! - 1])", true))
            }
            if labels.count < 4 {
                let every = max(1, candles.count / 8)
                for index in stride(from: every, to: candles.count, by: every) where !labels.contains(where: { abs($0.0 - index) < every / 2 }) {
                    labels.append((index, String(format: "%02d:%02d", parts[index].hour!, parts[index].minute!), false))
                }
            }
        case .daily:
            let starts = parts.indices.filter { $0 == 0 || parts[$0].month != parts[$0 - 1].month }
            let stride = starts.count > 36 ? 12 : starts.count > 14 ? 3 : 1
            for index in starts {
                let month = parts[index].month!
                guard stride == 1 || (month - 1) % stride == 0 else { continue }
                let year = parts[index].year! % 100
                let text = stride == 12 ? "\(parts[index].year!)" : month == 1 || index == 0 ? "\(months[month - 1]) '\(String(format: "%02d", year))" : months[month - 1]
                labels.append((index, text, true))
            }
        }
        return labels.sorted { $0.0 < $1.0 }
    }

    private func drawVolume() {
        let maxVolume = candles.map(\.volume).max() ?? 0
        let height = bottom - volumeTop
        guard maxVolume > 0 else {
            canvas.color(theme.mutedText)
            canvas.text("no volume data", x: (left + right) / 2, y: volumeTop + height / 2 + 4, size: 12, anchor: 0.5)
            return
        }
        let width = bodyWidth
        for (index, candle) in candles.enumerated() where candle.volume > 0 {
            let barHeight = max(1, candle.volume / maxVolume * height)
            canvas.color(candle.close >= candle.open ? theme.up : theme.down, alpha: 0.45)
            canvas.fill(x: x(index) - width / 2, y: bottom - barHeight, width: width, height: barHeight)
        }
        canvas.color(theme.mutedText)
        canvas.text(Self.abbreviated(maxVolume), x: right + 8, y: volumeTop + 10, size: 11)
        canvas.text("Vol", x: right + 8, y: bottom - 2, size: 11)
    }

    private func drawLevels() {
        var labelled: [Double] = []
        for (prices, color, tag) in [(levels.support, theme.support, "S"), (levels.resistance, theme.resistance, "R")] {
            for price in prices {
                canvas.color(color, alpha: 0.8)
                canvas.line(from: (left, y(price)), to: (right, y(price)), width: 1.2, dash: [6, 4])
                guard !labelled.contains(where: { abs($0 - y(price)) < 13 }) else { continue }
                canvas.text("\(tag) \(DisplayFormat(currency: "").number(price))", x: left + 4, y: y(price) - 4, size: 11)
                labelled.append(y(price))
            }
        }
    }

    /// Candle bodies and volume bars: 70% of the slot, at least a pixel, at most 24 so one candle is not a wall.
    var bodyWidth: Double { min(max(1, slot * 0.7), 24) }

    private func drawCandles() {
        for (index, candle) in candles.enumerated() {
            let color = candle.close >= candle.open ? theme.up : theme.down
            canvas.color(color)
            let center = x(index)
            if slot >= 2 { canvas.line(from: (center, y(candle.high)), to: (center, y(candle.low)), width: 1) }
            let bodyTop = y(max(candle.open, candle.close)), bodyBottom = y(min(candle.open, candle.close))
            if slot < 2 {
                canvas.fill(x: center - bodyWidth / 2, y: y(candle.high), width: bodyWidth, height: max(1, y(candle.low) - y(candle.high)))
            } else {
                canvas.fill(x: center - bodyWidth / 2, y: bodyTop, width: bodyWidth, height: max(1, bodyBottom - bodyTop))
            }
        }
    }

    private func drawLastPrice() {
        guard let last = candles.last else { return }
        let color = last.close >= last.open ? theme.up : theme.down
        let level = y(last.close)
        canvas.color(color, alpha: 0.7)
        canvas.line(from: (left, level), to: (right, level), width: 1, dash: [2, 3])
        canvas.color(color)
        canvas.fill(x: right + 1, y: level - 10, width: Double(spec.width) - right - 3, height: 20)
        canvas.color(ChartTheme.Color(0xFFFFFF))
        canvas.text(DisplayFormat(currency: "").number(last.close), x: right + 7, y: level + 4.5, size: 12, bold: true)
    }

    private func drawTitleAndLegend() {
        let format = DisplayFormat(currency: "")
        let title = "\(spec.instrument.symbol) \u{00B7} \(spec.instrument.exchange) \u{00B7} \(spec.interval)"
        canvas.color(theme.text)
        var cursor = left + canvas.text(title, x: left, y: 30, size: 20, bold: true) + 14
        canvas.color(theme.mutedText)
        cursor += canvas.text(rangeText(), x: cursor, y: 30, size: 14) + 14
        canvas.color(spec.changePercent >= 0 ? theme.up : theme.down)
        cursor += canvas.text(format.percent(spec.changePercent), x: cursor, y: 30, size: 14, bold: true)
        if spec.demo {
            canvas.color(theme.down)
            canvas.text("DEMO \u{00B7} paper broker", x: Double(spec.width) - 14, y: 30, size: 13, bold: true, anchor: 1)
        }
        var legend: [(String, ChartTheme.Color, Bool)] = series.map { ($0.label, $0.color, false) }
        if !levels.support.isEmpty { legend.append(("Support", theme.support, true)) }
        if !levels.resistance.isEmpty { legend.append(("Resistance", theme.resistance, true)) }
        for (kind, label) in [(ChartMark.Kind.strike, "Strike"), (.breakeven, "Breakeven")] where marks.contains(where: { $0.kind == kind }) {
            legend.append((label, color(of: kind), true))
        }
        var position = left
        for (label, color, dashed) in legend {
            canvas.color(color)
            canvas.line(from: (position, 49), to: (position + 20, 49), width: 2.5, dash: dashed ? [5, 3] : [])
            canvas.color(theme.text)
            position += 26 + canvas.text(label, x: position + 26, y: 54, size: 13) + 18
        }
    }

    private func rangeText() -> String {
        let months = Self.months
        func day(_ date: Date) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return "\(parts.day!) \(months[parts.month! - 1]) \(parts.year!)"
        }
        let first = day(candles.first!.time), last = day(candles.last!.time)
        return first == last ? first : "\(first) \u{2013} \(last)"
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * power >= raw { return factor * power }
        return 10 * power
    }

    static func abbreviated(_ value: Double) -> String {
        for (limit, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] where value >= limit {
            return String(format: "%.1f%@", value / limit, suffix)
        }
        return String(format: "%.0f", value)
    }
}
