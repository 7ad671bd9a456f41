import Foundation

/// A message or a button press on its way to its handler.
public struct UpdateRequest: Sendable {
    /// What arrived.
    public enum Kind: Sendable {
        case message(Message, ParsedCommand?)
        case button(CallbackQuery)
    }

    public var kind: Kind
    /// When the bot first saw the update (recorded in the inbox).
    public var receivedAt: Date
    /// For an update that waited in Telegram's queue while the bot was down: when the bot last heard from Telegram.
    public var waitedSince: Date?
    /// The registered command a message names, if any.
    public var command: CommandTraits?
    /// Set by `SecretStep`: the message holds something the app's `SecretPolicy` counts as a secret.
    public var exposesSecret = false
    /// Set by `SecretStep`: how the message that carried a secret was taken out of the chat.
    public var secretRemoval: SecretGuard.Removal?
    /// When handling began, for the command log.
    public let startedAt = Date(), started = ContinuousClock.now

    public init(kind: Kind, receivedAt: Date, waitedSince: Date? = nil, command: CommandTraits?) {
        self.kind = kind
        self.receivedAt = receivedAt
        self.waitedSince = waitedSince
        self.command = command
    }

    /// The sender (of the message, or of the press).
    public var from: User? {
        switch kind {
        case .message(let message, _): message.from
        case .button(let query): query.from
        }
    }

    /// The user id limits and access go by: the sender, else the chat.
    public var userID: Int64 { from?.id ?? chatID }

    public var chatID: Int64 {
        switch kind {
        case .message(let message, _): message.chat.id
        case .button(let query): query.message?.chat.id ?? query.from.id
        }
    }

    public var message: Message? {
        if case .message(let message, _) = kind { return message }
        return nil
    }

    public var parsed: ParsedCommand? {
        if case .message(_, let parsed) = kind { return parsed }
        return nil
    }

    public var isButton: Bool {
        if case .button = kind { return true }
        return false
    }

    /// True for a message that is not a command (text, a photo, a sticker…).
    public var isPlainText: Bool { message != nil && parsed == nil }

    /// True for a message the bot does not answer and no check needs to see: not a command, holding no secret, and
    /// either in a group (not addressed to the bot) or in a private chat with neither text nor a photo, voice
    /// message or the like (which are answered that the bot reads text only).
    public var isChatter: Bool {
        guard let message, parsed == nil, !exposesSecret else { return false }
        return !message.chat.isPrivate || (message.text == nil && message.attachment == nil)
    }
}
