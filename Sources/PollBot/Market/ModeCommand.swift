import BotKit
import Foundation

/// /mode: whether the active account's OpenAlgo runs live or in analyze (sandbox) mode; `/mode analyze` switches to the
/// sandbox at once and `/mode live` after a Confirm, for whoever the trading gate allows to switch (admins always).
struct ModeCommand: Command {
    static let name = "mode"
    static let summary = "Live or analyze (sandbox) mode of your OpenAlgo"
    static let usage = "/mode [analyze | live]"
    static let details: String? = "Without a word, shows the mode. <code>/mode analyze</code> makes OpenAlgo simulate every order; "
        + "<code>/mode live</code> makes orders real again, after you confirm. Admins and, where trading is on, its users may switch, "
        + "only with the whole word."
    static let privateOnly = true

    /// The mode asked for; nil to only show it.
    let wanted: AnalyzerMode?

    init(arguments: inout ArgumentScanner) throws {
        let word = arguments.optionalWord()
        switch word?.lowercased() {
        case nil: wanted = nil
        // The whole word only: switching to live makes every later order real, so nothing shorter may do it.
        case "analyze": wanted = .analyze
        case "live": wanted = .live
        case let other?:
            throw arguments.failure("The mode is <code>analyze</code> or <code>live</code>, spelled out, not \u{201C}\(html: other)\u{201D}.")
        }
        try arguments.finish()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let session = try await context.tradingSession()
        guard let wanted else {
            let mode = try await session.call { try await $0.analyzerMode() }
            return context.reply(session.heading("Mode") + "\n" + Self.describe(mode))
        }
        let services = context.services
        if let refusal = TradingGate.modeRefusal(for: session.userID, settings: services.config.trading, admins: services.config.security.admins) {
            return context.reply(HTML.escape(refusal) + " <code>/mode</code> shows the mode.")
        }
        // Live makes every later order real, so it waits for a Confirm; the sandbox puts nothing at stake.
        guard wanted == .analyze else {
            return try await services.orders.proposeLiveMode(userID: session.userID, chatID: context.chat.id).messages(to: context.chat.id)
        }
        let mode = try await session.call { try await $0.setAnalyzerMode(true) }
        try await services.store.auditOrder(OrderAuditEntry(at: services.orderTiming.now(), userID: session.userID, account: session.accountName,
                                                            event: "result", fields: PendingAction.setMode(.analyze).auditFields,
                                                            reply: "now \(mode.rawValue)"))
        guard mode == wanted else {
            return context.reply(session.heading("Mode") + "\nOpenAlgo did not switch: it stays in " + Self.describe(mode))
        }
        return context.reply(session.heading("Mode") + "\nSwitched. Now in " + Self.describe(mode))
    }

    static func describe(_ mode: AnalyzerMode) -> String {
        switch mode {
        case .live: "<b>live</b> mode: orders are real and go to the exchange."
        case .analyze: "<b>analyze</b> mode (sandbox): orders are checked and simulated, nothing reaches the exchange."
        }
    }
}
