import BotKit
import Foundation

/// The guided stock analysis: which ticker, which strategy, the analysis with its chart, then Execute or Done.
/// Its states are the plan's AWAITING_TICKER, AWAITING_STRATEGY and AWAITING_CONFIRMATION; /analyze starts it.
struct StockAnalysisFlow: Conversation {
    typealias Services = TraderServices
    enum State: String, Sendable { case ticker, strategy, execute }

    static let name = "analyze"
    static let title = "stock analysis"
    static let restartCommand: String? = "/analyze"

    static let strategies = OptionStrategy.allCases.map { strategy in
        ConversationChoice(strategy.rawValue, label: strategy.title, aliases: strategy.aliases)
    }
    static let finalChoices = [ConversationChoice("execute", label: "Execute", aliases: ["yes", "y", "go"]),
                               ConversationChoice("done", label: "Done", aliases: ["no", "n", "stop"])]

    static func handle(_ state: State, _ input: ConversationInput, in context: ConversationContext<TraderServices>) async throws
        -> ConversationStep<State> {
        switch state {
        case .ticker:
            guard let text = input.text, !text.isEmpty else { return .stay(context.reply("Send a ticker, like <code>RELIANCE</code>, or /cancel.")) }
            let gathering = try await gathering(context)
            switch try await gathering.check(text) {
            case .unknown(let html):
                return .stay(context.reply(html))
            case .found(let instrument, let quote):
                let data = ["symbol": instrument.symbol, "exchange": instrument.exchange]
                return .next(.strategy, data: data, replies: strategyQuestion(instrument, quote: quote, format: gathering.session.format,
                                                                              chatID: context.chatID, keyboard: context.keyboard(strategies, columns: 1)))
            }
        case .strategy:
            guard let choice = input.matching(strategies), let strategy = OptionStrategy(rawValue: choice.value),
                  let instrument = instrument(in: context.data) else {
                return .stay(context.reply("Pick a strategy: 1 cash-secured put, 2 covered call, 3 wheel (or /cancel).",
                                           keyboard: context.keyboard(strategies)))
            }
            let analysis = try await StockAnalysisReply.make(instrument, strategy: strategy, session: try await context.tradingSession(),
                                                             config: context.services.config, chatID: context.chatID,
                                                             keyboard: context.keyboard(finalChoices, columns: 2))
            var data = context.data
            data["strategy"] = strategy.rawValue
            data["draft"] = analysis.draft.flatMap(OrderDraftText.encoded)
            return .next(.execute, data: data, replies: analysis.messages)
        case .execute:
            guard let choice = input.matching(finalChoices) else {
                return .stay(context.reply("Press Execute to turn the proposal into an order, or Done to finish (or /cancel).",
                                           keyboard: context.keyboard(finalChoices, columns: 2)))
            }
            guard choice.value == "execute" else { return .finish(context.reply("Done. Send /analyze for another stock.")) }
            guard let draft = context.data["draft"].flatMap(OrderDraftText.decoded) else {
                return .finish(context.reply("There is no order to place from this analysis (no option with a market price to sell). "
                                             + "Send /analyze to look at another stock."))
            }
            let config = context.services.config
            if let refusal = TradingGate.refusal(for: context.user.id, settings: config.trading, admins: config.security.admins) {
                return .finish(context.reply(OrderDraftText.notPlaced(draft, because: refusal, format: try await context.tradingSession().format)))
            }
            // The order flow takes over: preview, risk checks, and a Confirm button of its own with its own time limit.
            let proposal = try await context.services.orders.propose(draft, userID: context.user.id, chatID: context.chatID)
            return .finish(proposal.messages(to: context.chatID))
        }
    }

    /// The question after a ticker was found: its price, and the three strategies numbered and as buttons.
    static func strategyQuestion(_ instrument: Instrument, quote: Quote, format: DisplayFormat, chatID: Int64,
                                 keyboard: InlineKeyboard) -> [OutgoingMessage] {
        let html = "<b>\(HTML.escape(instrument.symbol))</b> \(HTML.escape(instrument.exchange)) at \(format.number(quote.ltp)) "
            + "(\(format.percent(quote.changePercent))). Which strategy?\n"
            + strategies.enumerated().map { "\($0.offset + 1)) \($0.element.label)" }.joined(separator: "\n")
        return OutgoingMessage.texts(html, to: chatID, keyboard: keyboard)
    }

    static func instrument(in data: [String: String]) -> Instrument? {
        guard let symbol = data["symbol"], let exchange = data["exchange"] else { return nil }
        return Instrument(symbol, exchange)
    }

    private static func gathering(_ context: ConversationContext<TraderServices>) async throws -> AnalysisGathering {
        AnalysisGathering(session: try await context.tradingSession(), settings: context.services.config.analysis)
    }
}

extension OptionStrategy {
    /// Other words accepted when typed.
    var aliases: [String] {
        switch self {
        case .csp: ["put", "cash secured put", "sell put"]
        case .cc: ["call", "covered", "sell call"]
        case .wheel: ["the wheel"]
        }
    }
}
