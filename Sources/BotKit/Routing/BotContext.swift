import Logging

/// What the engine gives every handler, whatever the app: the store, the bot's identity, the log, the help
/// entries, and the Telegram calls that cannot wait for the outbox.
public struct BotContext: Sendable {
    public var identity: BotIdentity
    public var store: BotStore
    public var logger: Logger
    /// Every registered command's help, in registration order.
    public var help: [HelpEntry]
    /// Examples of plain text the app understands, listed at the end of /help (HTML-free, shown as code).
    public var phrases: [String] = []
    /// Shows "uploading photo…" and the like at once, outside the outbox (best effort; a no-op offline).
    public var chatAction: @Sendable (_ chatID: Int64, _ action: String) async -> Void
    /// Deletes a message at once, outside the outbox, and says whether Telegram did; nil where there is no
    /// Telegram to ask (the demo). Used where the reply depends on the outcome, e.g. a secret posted in a group.
    public var deleteNow: (@Sendable (_ chatID: Int64, _ messageID: Int64) async -> Bool)?
    /// Queues messages in the outbox now, before the handler's own replies ("checking…" while a slow step runs). They
    /// are durable as soon as this returns; if the bot dies before the handler completes, the update runs again and
    /// they may be sent a second time: use it for progress, or for a fact the user must not miss (an order id) where a
    /// repeat is harmless.
    public var sendEarly: @Sendable (_ messages: [OutgoingMessage]) async -> Void = { _ in }

    public init(identity: BotIdentity, store: BotStore, logger: Logger, help: [HelpEntry],
                chatAction: @escaping @Sendable (_ chatID: Int64, _ action: String) async -> Void = { _, _ in },
                deleteNow: (@Sendable (_ chatID: Int64, _ messageID: Int64) async -> Bool)? = nil) {
        self.identity = identity
        self.store = store
        self.logger = logger
        self.help = help
        self.chatAction = chatAction
        self.deleteNow = deleteNow
    }
}

/// One command as `/help` and Telegram's "/" menu show it.
public struct HelpEntry: Sendable, Equatable {
    public var name: String
    public var summary: String
    public var usage: String
    public var details: String?
}
