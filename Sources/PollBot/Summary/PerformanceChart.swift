import BotKit
import Foundation

/// The day-by-day P&L as a bar chart: a green bar up for a day in profit, a red bar down for a loss, the zero line,
/// the scale's ends and the first and last dates. Drawn with cairo on the chart worker's thread.
enum PerformanceChart {
    static let width = 960
    static let height = 480

    /// The chart of `report` as PNG bytes; `label` writes a day as the axis shows it.
    static func png(_ report: PerformanceReport, title: String, theme: ChartTheme, label: @Sendable (Int) -> String) throws -> Data {
        let canvas = CairoCanvas(width: width, height: height)
        canvas.color(theme.background)
        canvas.fill(x: 0, y: 0, width: Double(width), height: Double(height))
        let left = 110.0, right = Double(width) - 24, top = 56.0, bottom = Double(height) - 44
        canvas.color(theme.text)
        canvas.text(title, x: left, y: 34, size: 18, bold: true)
        // The scale always includes zero, and a flat history still gets a visible range.
        let highest = max(0, report.days.map(\.pnl).max() ?? 0), lowest = min(0, report.days.map(\.pnl).min() ?? 0)
        let span = highest - lowest > 0 ? highest - lowest : 1
        func y(_ value: Double) -> Double { top + (highest - value) / span * (bottom - top) }
        canvas.color(theme.grid)
        for value in [highest, lowest] where value != 0 { canvas.line(from: (left, y(value)), to: (right, y(value)), dash: [4, 4]) }
        canvas.color(theme.mutedText)
        let format = DisplayFormat(currency: "", timeZone: .utc)
        for value in Set([highest, lowest, 0]) { canvas.text(format.number(value, decimals: 0), x: left - 10, y: y(value) + 5, size: 12, anchor: 1) }
        let count = max(report.days.count, 1)
        let slot = (right - left) / Double(count), barWidth = max(1, slot * 0.7)
        for (index, day) in report.days.enumerated() where day.pnl != 0 {
            canvas.color(day.pnl > 0 ? theme.up : theme.down)
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            let from = y(max(day.pnl, 0)), to = y(min(day.pnl, 0))
            canvas.fill(x: x, y: from, width: barWidth, height: max(1, to - from))
        }
        canvas.color(theme.text)
        canvas.line(from: (left, y(0)), to: (right, y(0)), width: 1)
        canvas.color(theme.mutedText)
        if let first = report.days.first { canvas.text(label(first.day), x: left, y: bottom + 26, size: 12) }
        if let last = report.days.last, report.days.count > 1 { canvas.text(label(last.day), x: right, y: bottom + 26, size: 12, anchor: 1) }
        return try canvas.png()
    }
}
