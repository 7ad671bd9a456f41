import BotKit
import Foundation

/// One analysis as the user gets it: the daily chart with the proposed strikes and breakevens, then the analysis text
/// with the Execute and Done buttons under it (last, so the buttons sit at the bottom of the chat).
enum StockAnalysisReply {
    static func make(_ instrument: Instrument, strategy: OptionStrategy, session: TradingSession, config: BotConfig, chatID: Int64,
                     keyboard: InlineKeyboard, now: Date = Date()) async throws -> (messages: [OutgoingMessage], draft: OrderDraft?) {
        let gathering = AnalysisGathering(session: session, settings: config.analysis)
        let (input, candles, warmUp) = try await gathering.input(instrument, strategy: strategy, now: now)
        let result = AnalysisResult.compute(input)
        let html = session.heading("Stock analysis") + "\n" + result.html(format: session.format)
        var messages: [OutgoingMessage] = []
        if !candles.isEmpty {
            var spec = ChartSpec(instrument: instrument, interval: "D", kind: .daily, candles: candles, warmUp: warmUp,
                                 theme: ChartTheme.named(config.charts.theme), timeZone: config.broker.timeZone.foundationZone, demo: session.broker.isDemo)
            spec.marks = result.marks
            do {
                let png = try await ChartWorker.shared.render(spec)
                let caption = "<b>\(HTML.escape(instrument.symbol))</b> daily, with the proposed strikes and breakevens\(session.demoMark)"
                messages.append(.photo(png, caption: caption, to: chatID))
            } catch {
                // The numbers stand without the picture; say so rather than fail the whole analysis.
                messages += OutgoingMessage.texts("The chart could not be drawn (\(HTML.escape("\(error)"))); the analysis follows.", to: chatID)
            }
        }
        return (messages + OutgoingMessage.texts(html, to: chatID, keyboard: keyboard), result.draft)
    }
}
