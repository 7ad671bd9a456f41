import BotKit
import Foundation

/// /analyze: the guided stock analysis, skipping the questions whose answers came with the command.
struct AnalyzeCommand: Command {
    static let name = "analyze"
    static let summary = "Guided stock analysis: cash-secured put, covered call or wheel"
    static let usage = "/analyze [SYMBOL] [EXCHANGE] [csp|cc|wheel]"
    static let details: String? = """
        Asks for what is missing: the ticker, then the strategy. The analysis covers the stock (range, moving averages, \
        RSI, ATR, volatility, support and resistance) and, from the broker's option chain for the expiry nearest \
        [analysis] target_days, the strikes near delta 0.30 and 0.20 with premium, probability, breakeven, capital and \
        return, plus the risks and a chart. Execute turns the proposal into an order draft. /cancel ends it.
        Example: /analyze RELIANCE csp
        """

    let ticker: String?
    let strategy: OptionStrategy?

    init(arguments: inout ArgumentScanner) throws {
        var words: [String] = [], strategy: OptionStrategy?
        while let word = arguments.optionalWord() {
            if strategy == nil, let named = OptionStrategy(rawValue: word.lowercased()) { strategy = named } else { words.append(word) }
        }
        guard words.count <= 2 else {
            throw arguments.failure("Name one ticker, e.g. <code>/analyze RELIANCE csp</code>.")
        }
        ticker = words.isEmpty ? nil : words.joined(separator: " ")
        self.strategy = strategy
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let session = try await context.tradingSession()
        // Typed answers are read only in private chats: in a group a question about the ticker could never be answered.
        let groupHint = "In a group, name the ticker with the command, like <code>/analyze RELIANCE csp</code>."
        guard let ticker else {
            guard context.chat.isPrivate else { return context.reply(groupHint) }
            context.startConversation(StockAnalysisFlow.self, at: .ticker)
            return context.reply("Which ticker? Send a symbol like <code>RELIANCE</code>, or /cancel.")
        }
        let gathering = AnalysisGathering(session: session, settings: context.services.config.analysis)
        switch try await gathering.check(ticker) {
        case .unknown(let html):
            guard context.chat.isPrivate else { return context.reply(html + "\n" + groupHint) }
            // The conversation waits for another ticker, as it does when one is typed.
            context.startConversation(StockAnalysisFlow.self, at: .ticker)
            return context.reply(html)
        case .found(let instrument, let quote):
            let data = ["symbol": instrument.symbol, "exchange": instrument.exchange]
            guard let strategy else {
                let start = context.startConversation(StockAnalysisFlow.self, at: .strategy, data: data)
                return StockAnalysisFlow.strategyQuestion(instrument, quote: quote, format: session.format, chatID: context.chat.id,
                                                          keyboard: start.keyboard(StockAnalysisFlow.strategies, columns: 1))
            }
            await context.bot.chatAction(context.chat.id, "upload_photo")
            // The Execute buttons need the run before the draft is known; nothing starts if the analysis fails.
            let planned = context.plannedConversation(StockAnalysisFlow.self)
            let analysis = try await StockAnalysisReply.make(instrument, strategy: strategy, session: session, config: context.services.config,
                                                             chatID: context.chat.id,
                                                             keyboard: planned.keyboard(StockAnalysisFlow.finalChoices, columns: 2))
            var stored = data
            stored["strategy"] = strategy.rawValue
            stored["draft"] = analysis.draft.flatMap(OrderDraftText.encoded)
            context.startConversation(StockAnalysisFlow.self, at: .execute, data: stored, run: planned.run)
            return analysis.messages
        }
    }
}
