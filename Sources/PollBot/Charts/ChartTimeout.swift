import BotKit

/// A chart that took longer than its limit, or one refused because earlier ones are still stuck.
public struct ChartTimeout: ReportableError, CustomStringConvertible {
    public let instrument: Instrument
    public let limit: Duration
    /// True when the chart was not started: `ChartWorker.maxStuck` earlier renders are still running.
    public let unavailable: Bool

    public var description: String {
        unavailable ? "chart of \(instrument) refused: \(ChartWorker.maxStuck) renders are stuck" : "chart of \(instrument) abandoned after \(limit)"
    }


    public var userHTML: String {
        let what = "<b>\(HTML.escape(instrument.symbol))</b> \(HTML.escape(instrument.exchange))"
        if unavailable {
            return "I cannot draw the chart of \(what) now: earlier charts are still stuck. Try again in a few minutes; if this lasts, tell the bot's owner to restart it."
        }
        return "Drawing the chart of \(what) took longer than \(String(format: "%g", limit.inSeconds)) s and was abandoned. Try fewer sessions or a longer interval."
    }
}
