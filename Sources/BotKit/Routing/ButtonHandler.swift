import Foundation

/// Handles presses of inline buttons whose action starts with `prefix:`, as a Command handles its slash command.
public protocol ButtonHandler<Services>: Sendable {
    associatedtype Services: Sendable
    /// The first part of the action, e.g. `menu` for `menu:funds:0:0`.
    static var prefix: String { get }
    /// Answers a press whose owner the router has already checked.
    static func press(_ press: ButtonPress<Services>) async throws -> ButtonReply
}

/// One press of an inline button, owner checked: its own context, not a command's.
public struct ButtonPress<Services: Sendable>: Sendable {
    /// The action after `prefix:`.
    public var action: String
    public var query: CallbackQuery
    /// The message the button is on (the one to edit).
    public var message: Message
    public var bot: BotContext
    public var services: Services
    /// When the press reached the bot (recorded in the inbox), not when it is handled: a time limit is measured to it.
    public var receivedAt: Date

    public init(action: String, query: CallbackQuery, message: Message, bot: BotContext, services: Services, receivedAt: Date = Date()) {
        self.action = action
        self.query = query
        self.message = message
        self.bot = bot
        self.services = services
        self.receivedAt = receivedAt
    }

    public var chatID: Int64 { message.chat.id }
    /// Who pressed: always the button's owner, the router checked.
    public var user: User { query.from }

    /// Callback data for another button of this user.
    public func data(_ prefix: String, _ action: String) -> String {
        CallbackData(owner: query.from.id, action: "\(prefix):\(action)").encoded
    }
}

/// What a press produces: an optional toast on the button, and messages (usually one edit).
public struct ButtonReply: Sendable {
    public var toast: String?
    public var messages: [OutgoingMessage]

    public init(toast: String? = nil, messages: [OutgoingMessage]) {
        self.toast = toast
        self.messages = messages
    }
}
