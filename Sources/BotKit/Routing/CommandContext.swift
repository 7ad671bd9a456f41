/// What a command handler knows: the message, the engine's services and the app's.
public struct CommandContext<Services: Sendable>: Sendable {
    public var message: Message
    /// The command as typed, e.g. `/start`.
    public var commandText: String
    /// The engine: store, identity, logger, help, immediate Telegram calls.
    public var bot: BotContext
    /// The app's services, exactly as the app built them.
    public var services: Services
    /// Conversation starts and ends the command asks for (`startConversation`, `endConversation`).
    let conversations: ConversationRequests

    public init(message: Message, commandText: String, bot: BotContext, services: Services) {
        self.init(message: message, commandText: commandText, bot: bot, services: services, conversations: ConversationRequests())
    }

    init(message: Message, commandText: String, bot: BotContext, services: Services, conversations: ConversationRequests) {
        self.message = message
        self.commandText = commandText
        self.bot = bot
        self.services = services
        self.conversations = conversations
    }

    public var chat: Chat { message.chat }
    /// Who sent the command; nil only for messages without a sender (channel posts).
    public var user: User? { message.from }

    /// A reply in HTML to this chat, split into several messages when longer than Telegram allows.
    public func reply(_ html: String, keyboard: InlineKeyboard? = nil) -> [OutgoingMessage] {
        OutgoingMessage.texts(html, to: chat.id, keyboard: keyboard)
    }
}
