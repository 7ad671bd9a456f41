import BotKit
import Foundation

/// /chart: candlesticks with volume, VWAP (intraday) or moving averages and support/resistance (daily), as a photo.
struct ChartCommand: Command {
    static let name = "chart"
    static let summary = "Candlestick chart: intraday, daily or both"
    static let usage = "/chart SYMBOL [EXCHANGE] [intraday|daily|both] [INTERVAL] [SESSIONS]"
    static let details: String? = """
        Defaults: intraday 5m over 5 sessions, daily D over 252 sessions; i, d, b are short for the three. \
        Intraday charts show VWAP, restarting each session. Daily charts show MA20, MA50 and MA200 (each once there are enough candles) \
        and support and resistance: swing highs and lows (the extreme of 5 candles on each side) of the last 120 candles, \
        merged when within 1.5% of each other, the nearest two above and below the last close.
        Example: /chart RELIANCE both 15m 3
        """

    enum Mode: String { case intraday, daily, both }

    static let intradaySessions = 1...30, dailySessions = 5...2000
    static let dailyIntervals: Set<String> = ["D", "W", "M", "Q", "Y"]

    let symbolWords: [String]
    let mode: Mode
    let interval: String?
    let sessions: Int?

    init(arguments: inout ArgumentScanner) throws {
        var symbolWords = [try arguments.word("SYMBOL")]
        var mode: Mode?, interval: String?, sessions: Int?
        while let word = arguments.optionalWord() {
            let lower = word.lowercased()
            if ConfigLoader.exchanges.contains(word.uppercased()), symbolWords.count == 1 {
                symbolWords.append(word)
            } else if mode == nil, let picked = ["intraday": Mode.intraday, "i": .intraday, "daily": .daily, "d": .daily,
                                                  "both": .both, "b": .both][lower] {
                mode = picked
            } else if sessions == nil, let number = Int(word) {
                sessions = number
            } else if interval == nil {
                interval = Self.dailyIntervals.contains(word.uppercased()) ? word.uppercased() : lower
            } else {
                throw arguments.failure("I did not understand \u{201C}\(HTML.escape(word))\u{201D}.")
            }
        }
        self.symbolWords = symbolWords
        self.mode = mode ?? .intraday
        self.interval = interval
        self.sessions = sessions
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let session = try await context.tradingSession()
        let settings = session.hub.broker
        guard let instrument = try InstrumentList(symbolWords, defaultExchange: settings.defaultExchange, usage: Self.usage).instruments.first else {
            throw UserError("Name a symbol, e.g. <code>/chart RELIANCE</code>.")
        }
        let offered = try await session.call { try await $0.intervals() }.all
        let plan = try plan(offered: offered)
        await context.bot.chatAction(context.chat.id, "upload_photo")
        let theme = ChartTheme.named(context.services.config.charts.theme)
        var pictures: [Data] = [], notes: [String] = []
        for (kind, interval, count) in plan {
            // Daily charts fetch 199 sessions more, so that MA200 starts at the chart's left edge.
            let warmUpCount = kind == .daily ? 199 : 0
            let fetched = try await session.history(instrument, interval: interval, sessions: count + warmUpCount, kind: kind)
            let candles = kind == .daily ? Array(fetched.suffix(count)) : fetched, warmUp = Array(fetched.dropLast(candles.count))
            guard !candles.isEmpty else {
                return context.reply("No \(interval) candles for <b>\(HTML.escape(instrument.symbol))</b> \(HTML.escape(instrument.exchange)) in the last \(count) sessions: the market may not have traded it, or the broker has no data for it.")
            }
            let spec = ChartSpec(instrument: instrument, interval: interval, kind: kind, candles: candles, warmUp: warmUp, theme: theme,
                                 timeZone: settings.timeZone.foundationZone, demo: session.broker.isDemo)
            pictures.append(try await ChartWorker.shared.render(spec))
            let format = session.format
            notes.append("\(kind == .intraday ? "Intraday" : "Daily") \(interval), \(count) sessions: last \(format.number(candles.last!.close)), \(format.percent(spec.changePercent)) over the chart")
        }
        let caption = "<b>\(HTML.escape(instrument.symbol))</b> \(HTML.escape(instrument.exchange))\(session.demoMark)\n"
            + notes.map(HTML.escape).joined(separator: "\n")
        return pictures.count == 1 ? [.photo(pictures[0], caption: caption, to: context.chat.id)]
            : [.album(pictures, caption: caption, to: context.chat.id)]
    }

    /// The charts to draw, each with its interval and session count, after checking them against what the broker offers.
    private func plan(offered: [String]) throws -> [(ChartSpec.Kind, String, Int)] {
        func pick(_ kind: ChartSpec.Kind, sessions wanted: Int?) throws -> (ChartSpec.Kind, String, Int) {
            let valid = offered.filter { Self.dailyIntervals.contains($0) == (kind == .daily) }
            let standard = kind == .daily ? "D" : "5m"
            // In "both", an interval applies to the chart of its own kind; the other chart keeps its default.
            let typed = interval.flatMap { mode != .both || Self.dailyIntervals.contains($0) == (kind == .daily) ? $0 : nil }
            guard let chosen = typed ?? (valid.contains(standard) ? standard : valid.first), valid.contains(chosen) else {
                throw UserError("\(HTML.escape(typed ?? standard)) is not an interval this broker offers for \(kind.rawValue) charts. Valid: \(valid.isEmpty ? "none" : valid.joined(separator: " ")).\nUsage: <code>\(HTML.escape(Self.usage))</code>")
            }
            let range = kind == .daily ? Self.dailySessions : Self.intradaySessions
            let count = wanted ?? (kind == .daily ? 252 : 5)
            guard range.contains(count) else {
                throw UserError("SESSIONS must be \(Self.intradaySessions.lowerBound)\u{2013}\(Self.intradaySessions.upperBound) for intraday charts and \(Self.dailySessions.lowerBound)\u{2013}\(Self.dailySessions.upperBound) for daily charts, not \(count).\nUsage: <code>\(HTML.escape(Self.usage))</code>")
            }
            return (kind, chosen, count)
        }
        switch mode {
        case .intraday: return [try pick(.intraday, sessions: sessions)]
        case .daily: return [try pick(.daily, sessions: sessions)]
        // One SESSIONS number cannot suit both: it applies to the intraday chart, the daily one keeps 252.
        case .both: return [try pick(.intraday, sessions: sessions), try pick(.daily, sessions: nil)]
        }
    }
}
