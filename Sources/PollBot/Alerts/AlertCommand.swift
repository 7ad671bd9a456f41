import BotKit
import Foundation

/// /alert: arms a price alert on the active account, checked against a quote now so an unknown symbol or a level
/// already reached is refused before anything is stored.
struct AlertCommand: Command {
    static let name = "alert"
    static let summary = "Price alert: tell me when a symbol crosses a level"
    static let usage = "/alert SYMBOL [EXCHANGE] above|below|crosses PRICE | /alert SYMBOL [EXCHANGE] +5%|-3%"
    static let details: String? = "> and < mean above and below; +5% and -3% are measured from the LTP now. Each alert fires once, then can be re-armed; see /alerts."
    static let privateOnly = true

    let text: String

    init(arguments: inout ArgumentScanner) throws {
        text = arguments.rest()
        guard !text.isEmpty else { throw arguments.failure("Name a symbol and a condition, e.g. <code>/alert RELIANCE above 1500</code>.") }
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let session = try await context.tradingSession()
        let request = try AlertRequest(text, defaultExchange: session.hub.broker.defaultExchange, usage: Self.usage)
        let settings = context.services.config.alerts
        let store = context.services.store
        // A replay of this message after a kill: its alert was stored before the reply was, and the price may have moved
        // past the level since, so it is answered from the row, not judged again.
        if let armed = try await store.alert(armedBy: context.message.messageID, in: context.chat.id), armed.userID == user.id {
            return Self.armedReply(armed, ltp: armed.referencePrice, session: session, settings: settings, context: context)
        }
        // Before the quote: a user at the limit costs the broker nothing.
        guard try await store.armedCount(of: user.id) < settings.maxPerUser else { throw Self.full(settings.maxPerUser) }
        let instrument = request.instrument
        let quote: Quote
        do {
            quote = try await session.call { try await $0.quote(instrument) }
        } catch let failure as BrokerFailure {
            switch failure.error {
            case .server(_, let message), .invalidRequest(let message):
                throw UserError("No alert set: the broker has no quote for <b>\(HTML.escape(instrument.description))</b> "
                                + "(it said: \(HTML.escape(String(message.prefix(200))))). Check the symbol and the exchange.")
            default: throw failure
            }
        }
        let format = session.format
        guard quote.ltp.isFinite, quote.ltp > 0 else {
            throw UserError("No alert set: the broker gave no usable price for <b>\(HTML.escape(instrument.description))</b> right now.")
        }
        let terms = request.terms(ltp: quote.ltp)
        guard terms.level > 0, terms.level <= AlertRequest.maxPrice else { throw UserError("That level is out of range; pick another.") }
        let direction = try terms.direction(from: quote.ltp, instrument: instrument, format: format).get()
        let id: Int64
        do {
            id = try await store.armAlert(userID: user.id, chatID: context.chat.id, account: session.accountName, host: session.broker.host,
                                          instrument: instrument, kind: terms.kind, level: terms.level, direction: direction,
                                          referencePrice: quote.ltp, limit: settings.maxPerUser, now: Date(),
                                          sourceMessageID: context.message.messageID)
        } catch BotStore.AlertRefusal.limit(let limit) {
            throw Self.full(limit)
        }
        let alert = PriceAlert(id: id, userID: user.id, chatID: context.chat.id, account: session.accountName, host: session.broker.host,
                               instrument: instrument, kind: terms.kind, level: terms.level, direction: direction,
                               referencePrice: quote.ltp, createdAt: Date(), state: .armed)
        return Self.armedReply(alert, ltp: quote.ltp, session: session, settings: settings, context: context)
    }

    /// "🔔 Alert #N armed: …", for the arming and for its replay.
    static func armedReply(_ alert: PriceAlert, ltp: Double, session: TradingSession, settings: AlertSettings,
                           context: TraderContext) -> [OutgoingMessage] {
        let format = session.format
        let when = settings.marketHoursOnly ? "every \(settings.checkInterval) s while the market is open" : "every \(settings.checkInterval) s"
        return context.reply("\u{1F514} Alert #\(alert.id) armed\(session.demoMark): <b>\(HTML.escape(alert.instrument.description))</b> "
                             + "\(alert.condition(format)) (LTP now \(format.number(ltp))).\nI check \(when); see /alerts.")
    }

    static func full(_ limit: Int) -> UserError {
        UserError("You have \(limit) armed alerts, the most allowed; delete one first (/alerts).")
    }
}
