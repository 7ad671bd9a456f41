import BotKit

/// /start: the greeting and the next step.
struct StartCommand: Command {
    static let name = "start"
    static let summary = "What this bot does and how to begin"

    init(arguments: inout ArgumentScanner) throws {
        _ = arguments.rest()  // a deep-link payload is allowed and not needed
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let name = context.user?.firstName ?? "there"
        return context.reply("""
            Hello, \(html: name)! I am <b>pollbot</b>, your self-hosted trading assistant.

            I watch your broker account for you: funds, positions, orders, holdings, P&amp;L, quotes and charts, right here in Telegram.

            Next step: send /help to see what I can do.
            """)
    }
}
