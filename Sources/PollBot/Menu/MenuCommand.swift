import BotKit

/// /menu: buttons for every portfolio view; a press edits the menu message in place.
struct MenuCommand: Command {
    static let name = "menu"
    static let summary = "Buttons for funds, P&L, positions, holdings, orders, trades"
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws {}

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let session = try await context.tradingSession()
        let (html, keyboard) = await MenuView.home(session, owner: context.user?.id ?? context.chat.id, refresh: false,
                                                   logger: context.bot.logger)
        return [.text(html, to: context.chat.id, keyboard: keyboard)]
    }
}
