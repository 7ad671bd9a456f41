import BotKit

/// /whoami: the user's and chat's ids, for anyone (so strangers can ask the owner to allow them).
struct WhoAmICommand: Command {
    static let name = "whoami"
    static let summary = "Show your Telegram user id and this chat's id"
    static let openToEveryone = true

    init(arguments: inout ArgumentScanner) throws {}

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        context.reply("Your user id: <code>\(context.user?.id ?? 0)</code>\nThis chat's id: <code>\(context.chat.id)</code>")
    }
}
