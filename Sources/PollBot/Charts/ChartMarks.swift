import BotKit
import Foundation

/// Which of a chart's marks are drawn, and where their labels go so that none hides another.
enum ChartMarks {
    /// At most this many marks are drawn: the first ones given that pass `drawable`; later ones are ignored.
    static let maxDrawn = 8
    /// Labels longer than this are cut, so one long label cannot cover the candles.
    static let maxLabel = 28

    /// The marks worth drawing, in the order given: finite, positive, no further from the candles' `low...high` than
    /// three times its span (at least a tenth of `high`, so a flat chart still shows a nearby strike); at most `maxDrawn`.
    /// A mark like 1e308 or 1e-9 against prices near 1400 is left out, so it can neither vanish the candles nor trap the axis.
    static func drawable(_ marks: [ChartMark], low: Double, high: Double) -> [ChartMark] {
        let span = max(high - low, abs(high) * 0.1)
        let reach = 3 * span
        guard reach.isFinite, reach > 0 else { return [] }
        let kept = marks.filter { mark in
            mark.price.isFinite && mark.price > 0 && mark.price >= low - reach && mark.price <= high + reach
        }
        return Array(kept.prefix(maxDrawn))
    }

    /// Centres for labels `height` tall that wanted `wanted` (same order), moved as little as a cluster allows so
    /// that any two are at least `height` apart, and kept within `top...bottom` when they fit there.
    static func nudged(_ wanted: [Double], height: Double, top: Double, bottom: Double) -> [Double] {
        let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
        // Labels that touch form a cluster, centred on the mean of what its labels wanted, so a pair splits evenly.
        var clusters: [(sum: Double, members: [Int])] = []
        for index in order {
            clusters.append((wanted[index], [index]))
            while clusters.count > 1 {
                let last = clusters[clusters.count - 1], previous = clusters[clusters.count - 2]
                let previousEnd = Self.start(previous, height) + Double(previous.members.count) * height
                guard Self.start(last, height) < previousEnd else { break }
                clusters.removeLast(2)
                clusters.append((previous.sum + last.sum, previous.members + last.members))
            }
        }
        var placed = [Double](repeating: 0, count: wanted.count)
        var sorted: [Int] = []
        for cluster in clusters {
            let start = Self.start(cluster, height)
            for (offset, index) in cluster.members.enumerated() { placed[index] = start + Double(offset) * height }
            sorted += cluster.members
        }
        // Pushed past an edge, the labels slide back in: down from the top first, then up from the bottom.
        let lowest = top + height / 2, highest = bottom - height / 2
        var previous = -Double.infinity
        for index in sorted {
            placed[index] = max(placed[index], lowest, previous + height)
            previous = placed[index]
        }
        var next = Double.infinity
        for index in sorted.reversed() {
            placed[index] = min(placed[index], highest, next - height)
            next = placed[index]
        }
        return placed
    }

    /// The first label's centre in a cluster: its members spaced `height` apart around their wanted mean.
    private static func start(_ cluster: (sum: Double, members: [Int]), _ height: Double) -> Double {
        let count = Double(cluster.members.count)
        return cluster.sum / count - (count - 1) / 2 * height
    }

    /// The text on a mark's label: its own on one line (cut to `maxLabel`), or its price when it has none.
    static func text(_ mark: ChartMark) -> String {
        // Cairo draws a line break or a control character as a box, so they become spaces.
        let flat = String(mark.label.unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? " " : Character($0) })
        let label = flat.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !label.isEmpty else { return DisplayFormat(currency: "").number(mark.price) }
        return label.count > maxLabel ? String(label.prefix(maxLabel - 1)) + "\u{2026}" : label
    }
}

extension ChartLayout {
    /// Label boxes' height; the line is snapped to whole pixels so its colour is exact on its rows.
    static let markLabelHeight = 17.0

    /// Each mark as a dashed line across the price pane, its label in a filled box at the right end just above it.
    func drawMarks() {
        guard !marks.isEmpty else { return }
        let height = Self.markLabelHeight
        let lines = marks.map { y($0.price).rounded() }
        let centres = ChartMarks.nudged(lines.map { $0 - 2 - height / 2 }, height: height + 2, top: top, bottom: priceBottom)
        for (mark, line) in zip(marks, lines) {
            canvas.color(color(of: mark.kind))
            canvas.line(from: (left, line), to: (right, line), width: 2, dash: [8, 5])
        }
        // Labels after every line, so no line (a strike a rupee away) runs through a label.
        for (index, mark) in marks.enumerated() {
            let text = ChartMarks.text(mark)
            let width = canvas.textWidth(text, size: 11, bold: true) + 10
            let boxLeft = right - 4 - width, boxTop = centres[index] - height / 2
            canvas.color(color(of: mark.kind))
            // A label moved off its line keeps a short tie to it, so it is clear which line it names.
            if abs(boxTop + height + 2 - lines[index]) > 1 {
                canvas.line(from: (right - 4, boxTop + height / 2), to: (right - 4, lines[index]), width: 1)
            }
            canvas.fill(x: boxLeft, y: boxTop, width: width, height: height)
            canvas.color(theme.background)
            canvas.text(text, x: boxLeft + 5, y: boxTop + height - 4.5, size: 11, bold: true)
        }
    }

    /// The theme's colour for marks of `kind`.
    func color(of kind: ChartMark.Kind) -> ChartTheme.Color {
        switch kind {
        case .strike: theme.strike
        case .breakeven: theme.breakeven
        }
    }
}
