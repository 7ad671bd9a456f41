import Foundation
import Logging

/// A slash command: its name, its help line, how it reads its arguments, and what it replies.
///
/// The router and `/help` are built from the registered types, so adding a
/// command is one file and one line in `CommandRegistry.standard`.
public protocol Command: Sendable {
    /// The name without the slash: `a-z0-9_`, at most 32 characters.
    static var name: String { get }
    /// The line shown in `/help` and Telegram's "/" menu.
    static var summary: String { get }
    /// How to call it, e.g. `/quote SYMBOL [EXCHANGE]`.
    static var usage: String { get }
    /// Longer text for `/help NAME`, if the summary is not enough.
    static var details: String? { get }
    /// True for commands that show or change account data: they run in private chats only.
    static var privateOnly: Bool { get }
    /// True when the message carries a secret: it is deleted from the chat whatever happens, and the command log
    /// keeps only `loggedArguments(in:)` of a parsed command, nothing of one that did not parse.
    static var carriesSecret: Bool { get }
    /// True for commands anyone may run, even outside `allowed_users` (/whoami).
    static var openToEveryone: Bool { get }
    /// The arguments as the command log keeps them, built from the parsed fields; nil keeps them as typed
    /// (never for a command that carries a secret: nil logs nothing).
    func loggedArguments(in context: CommandContext) -> String?

    /// Reads the arguments; throws `UserError` with a usage hint when they are wrong.
    init(arguments: inout ArgumentScanner) throws

    /// Does the work and returns the replies.
    func run(in context: CommandContext) async throws -> [OutgoingMessage]
}

extension Command {
    public static var usage: String { "/\(name)" }
    public static var details: String? { nil }
    public static var privateOnly: Bool { false }
    public static var carriesSecret: Bool { false }
    public static var openToEveryone: Bool { false }
    public func loggedArguments(in context: CommandContext) -> String? { nil }
}

/// What a handler knows about the message it answers, and the services it may use.
public struct CommandContext: Sendable {
    public var message: Message
    /// The command as typed, e.g. `/start`.
    public var commandText: String
    public var services: BotServices
    /// Who asked: the message's sender, or the presser of a button on the bot's own message.
    public var user: User?

    public init(message: Message, commandText: String, services: BotServices, sender: User? = nil) {
        self.message = message
        self.commandText = commandText
        self.services = services
        user = sender ?? message.from
    }

    public var chat: Chat { message.chat }

    /// A reply in HTML to this chat, split into several messages when longer than Telegram allows.
    public func reply(_ html: String, keyboard: InlineKeyboard? = nil) -> [OutgoingMessage] {
        OutgoingMessage.texts(html, to: chat.id, keyboard: keyboard)
    }
}

/// What handlers share: the store, the vault, the registry, the bot's identity, settings.
public struct BotServices: Sendable {
    public var identity: BotIdentity
    public var registry: CommandRegistry
    public var store: BotStore
    public var vault: Vault?
    public var config: BotConfig?
    /// The broker side: sessions, breaker, cache; nil on bots without trading (some tests).
    public var trading: TradingHub?
    /// Shows "uploading photo…" and the like at once, outside the outbox (best effort; nil in some tests).
    public var chatAction: (@Sendable (_ chatID: Int64, _ action: String) async -> Void)?
    /// Deletes a message at once, outside the outbox, and says whether Telegram did (nil in some tests and the demo).
    /// Used where the reply depends on the outcome: a key posted in a group, where the bot may lack the right.
    public var deleteNow: (@Sendable (_ chatID: Int64, _ messageID: Int64) async -> Bool)?
    public var logger: Logger

    public init(identity: BotIdentity, registry: CommandRegistry, store: BotStore, vault: Vault? = nil,
                config: BotConfig? = nil, trading: TradingHub? = nil, logger: Logger) {
        self.trading = trading
        self.identity = identity
        self.registry = registry
        self.store = store
        self.vault = vault
        self.config = config
        self.logger = logger
    }
}

/// A failure the user can fix; its text is shown as it is (it must already be HTML-escaped).
public struct UserError: Error, Sendable {
    public var html: String
    public init(_ html: String) { self.html = html }
}

extension OutgoingMessage {
    /// An HTML reply split on line boundaries into parts Telegram accepts; the keyboard goes on the last part.
    public static func texts(_ html: String, to chatID: Int64, keyboard: InlineKeyboard? = nil) -> [OutgoingMessage] {
        let parts = MessageSplitter.split(html)
        return parts.enumerated().map { index, part in
            .text(part, to: chatID, keyboard: index == parts.count - 1 ? keyboard : nil)
        }
    }
}
