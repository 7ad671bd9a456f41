import Foundation

/// What a conversation handler knows: who answers where, the conversation's data, the engine and the app's services.
public struct ConversationContext<Services: Sendable>: Sendable {
    /// The stored name of the running conversation (its buttons carry it).
    public var name: String
    public var chatID: Int64
    public var user: User
    /// The data stored with the current state.
    public var data: [String: String]
    /// This run's token, carried by its buttons.
    public var run: String
    public var bot: BotContext
    public var services: Services

    public init(name: String, chatID: Int64, user: User, data: [String: String], run: String = "", bot: BotContext,
                services: Services) {
        self.run = run
        self.name = name
        self.chatID = chatID
        self.user = user
        self.data = data
        self.bot = bot
        self.services = services
    }

    /// A reply in HTML to this chat, split when longer than Telegram allows.
    public func reply(_ html: String, keyboard: InlineKeyboard? = nil) -> [OutgoingMessage] {
        OutgoingMessage.texts(html, to: chatID, keyboard: keyboard)
    }

    /// `choices` as buttons of this conversation, `columns` to a row: a press reaches the handler as `.choice(value)`.
    public func keyboard(_ choices: [ConversationChoice], columns: Int = 3) -> InlineKeyboard {
        ConversationButtons.keyboard(choices, conversation: name, run: run, owner: user.id, columns: columns)
    }
}

/// The callback data of conversation buttons: `cv:<conversation>:<run>:<value>`, owned by the engine.
public enum ConversationButtons {
    /// The action prefix the engine claims; no app button may use it.
    public static let prefix = "cv"

    /// Buttons for `choices` of `conversation`, bound to `owner`.
    public static func keyboard(_ choices: [ConversationChoice], conversation: String, run: String, owner: Int64,
                                columns: Int) -> InlineKeyboard {
        let buttons = choices.map {
            InlineKeyboard.Button($0.label, data: CallbackData(owner: owner, action: "\(prefix):\(conversation):\(run):\($0.value)").encoded)
        }
        let width = max(1, columns)
        return InlineKeyboard(stride(from: 0, to: buttons.count, by: width).map { Array(buttons[$0..<min($0 + width, buttons.count)]) })
    }

    /// The conversation and value of a button action, nil when it is not a conversation button.
    static func parse(_ action: String) -> (conversation: String, run: String, value: String)? {
        let parts = action.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == prefix else { return nil }
        return (String(parts[1]), String(parts[2]), String(parts[3]))
    }
}
