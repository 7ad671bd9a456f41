import BotKit
import Foundation

/// /mode: whether the active account's OpenAlgo runs live or in analyze (sandbox) mode; `/mode analyze` and
/// `/mode live` switch it, for the bot's admins only.
struct ModeCommand: Command {
    static let name = "mode"
    static let summary = "Live or analyze (sandbox) mode of your OpenAlgo"
    static let usage = "/mode [analyze | live]"
    static let details: String? = "Without a word, shows the mode. <code>/mode analyze</code> makes OpenAlgo simulate every order; "
        + "<code>/mode live</code> makes orders real again. Only the bot's admins may switch, and only with the whole word."
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
        // Until the [trading] users list exists, switching is for admins: a switch to live puts real money at stake.
        guard context.services.config.security.admins.contains(session.userID) else {
            return context.reply("Only the bot's admins may switch the mode. <code>/mode</code> shows it.")
        }
        let mode = try await session.call { try await $0.setAnalyzerMode(wanted == .analyze) }
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
