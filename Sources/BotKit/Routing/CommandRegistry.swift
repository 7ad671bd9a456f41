import Foundation

/// The commands, buttons and conversations a bot knows; `/help` and Telegram's "/" menu are built from it.
public struct CommandRegistry<Services: Sendable>: Sendable {
    public let commands: [any Command<Services>.Type]
    public let buttons: [any ButtonHandler<Services>.Type]
    /// The guided dialogues commands may start; plain text and their buttons reach them.
    public let conversations: [any Conversation<Services>.Type]
    /// Each conversation's title by name, for /cancel's reply (built once, not per command).
    let conversationTitles: [String: String]
    /// Time limits are kept between a minute and a day: a NaN or an infinite one would store no expiry or overflow one.
    static func sane(_ timeout: TimeInterval) -> TimeInterval {
        timeout.isFinite ? min(max(timeout, 60), 86_400) : 600
    }

    /// One time limit for every conversation (`[conversations] timeout`); nil leaves each its own `timeout`.
    public let conversationTimeout: TimeInterval?
    /// The app's reading of private plain text no conversation took; nil answers it with a pointer to /help.
    public let plainText: PlainTextReader<Services>?
    /// Examples of the plain text `plainText` understands, for /help.
    public let phrases: [String]
    private let byName: [String: any Command<Services>.Type]

    public init(_ commands: [any Command<Services>.Type], buttons: [any ButtonHandler<Services>.Type] = [],
                conversations: [any Conversation<Services>.Type] = [], conversationTimeout: TimeInterval? = nil,
                plainText: PlainTextReader<Services>? = nil, phrases: [String] = []) {
        self.commands = commands
        self.plainText = plainText
        self.phrases = phrases
        self.buttons = buttons
        self.conversations = conversations
        conversationTitles = Dictionary(conversations.map { ($0.name, $0.title) }, uniquingKeysWith: { first, _ in first })
        self.conversationTimeout = conversationTimeout
        var byName: [String: any Command<Services>.Type] = [:]
        for command in commands {
            precondition(byName[command.name] == nil, "command /\(command.name) registered twice")
            byName[command.name] = command
        }
        precondition(!buttons.contains { $0.prefix == ConversationButtons.prefix }, "button prefix \(ConversationButtons.prefix) belongs to the engine")
        for (index, conversation) in conversations.enumerated() {
            precondition(Self.isConversationName(conversation.name), "conversation name \(conversation.name) must be a-z0-9_, 1-16")
            precondition(!conversations[..<index].contains { $0.name == conversation.name }, "conversation \(conversation.name) registered twice")
        }
        self.byName = byName
    }

    /// Whether `name` is 1 to 16 of a-z, 0-9 and `_`, as a stored conversation name must be. Checked byte by byte, not
    /// with a Regex: registries are built at every start, and a Regex literal is compiled when first used.
    static func isConversationName(_ name: String) -> Bool {
        (1...16).contains(name.utf8.count) && name.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_")
        }
    }

    /// The command called `name` (lowercase, no slash).
    public func command(named name: String) -> (any Command<Services>.Type)? { byName[name] }

    /// The handler of a button action (`prefix:...`).
    public func button(for action: String) -> (any ButtonHandler<Services>.Type)? {
        let prefix = action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? action
        return buttons.first { $0.prefix == prefix }
    }

    /// The conversation stored as `name`.
    public func conversation(named name: String) -> (any Conversation<Services>.Type)? {
        conversations.first { $0.name == name }
    }

    /// The time limit `conversation` runs under: the configured one, else its own.
    public func timeout(of conversation: any Conversation<Services>.Type) -> TimeInterval {
        Self.sane(conversationTimeout ?? conversation.timeout)
    }

    /// Every command's help, in registration order.
    public var help: [HelpEntry] { commands.map { $0.helpEntry } }

    /// The entries of setMyCommands.
    public var menu: [BotCommandInfo] {
        commands.map { BotCommandInfo(command: $0.name, description: $0.summary) }
    }

    /// This registry with every conversation under one time limit (`[conversations] timeout`).
    public func timingOut(after timeout: TimeInterval) -> CommandRegistry {
        CommandRegistry(commands, buttons: buttons, conversations: conversations, conversationTimeout: timeout,
                        plainText: plainText, phrases: phrases)
    }

    /// A registry with `more` commands added (a test bot's extra commands, say).
    public func adding(_ more: [any Command<Services>.Type]) -> CommandRegistry {
        CommandRegistry(commands + more, buttons: buttons, conversations: conversations, conversationTimeout: conversationTimeout,
                        plainText: plainText, phrases: phrases)
    }
}
