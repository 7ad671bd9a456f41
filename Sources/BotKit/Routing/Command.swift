import Foundation

/// A slash command: its name, its help line, how it reads its arguments, and what it replies.
///
/// `Services` is what the app hands every handler (its stores, clients,
/// settings), typed: a command never meets an optional "not set up" service.
/// The router and `/help` are built from the registered types, so adding a
/// command is one file and one line in the app's registry.
public protocol Command<Services>: Sendable {
    associatedtype Services: Sendable
    /// The name without the slash: `a-z0-9_`, at most 32 characters.
    static var name: String { get }
    /// The line shown in `/help` and Telegram's "/" menu.
    static var summary: String { get }
    /// How to call it, e.g. `/quote SYMBOL [EXCHANGE]`.
    static var usage: String { get }
    /// Longer text for `/help NAME`, if the summary is not enough.
    static var details: String? { get }
    /// True for commands that show or change private data: they run in private chats only.
    static var privateOnly: Bool { get }
    /// True when the message carries a secret: it is deleted from the chat whatever happens, and the command log
    /// keeps only `loggedArguments(in:)` of a parsed command, nothing of one that did not parse.
    static var carriesSecret: Bool { get }
    /// True for commands anyone may run, even outside `allowed_users` (/whoami).
    static var openToEveryone: Bool { get }
    /// The arguments as the command log keeps them, built from the parsed fields; nil keeps them as typed
    /// (never for a command that carries a secret: nil logs nothing).
    func loggedArguments(in context: CommandContext<Services>) -> String?

    /// Reads the arguments; throws `UserError` with a usage hint when they are wrong.
    init(arguments: inout ArgumentScanner) throws

    /// Does the work and returns the replies.
    func run(in context: CommandContext<Services>) async throws -> [OutgoingMessage]
}

extension Command {
    public static var usage: String { "/\(name)" }
    public static var details: String? { nil }
    public static var privateOnly: Bool { false }
    public static var carriesSecret: Bool { false }
    public static var openToEveryone: Bool { false }
    public func loggedArguments(in context: CommandContext<Services>) -> String? { nil }

    /// What `/help` shows of this command.
    static var helpEntry: HelpEntry { HelpEntry(name: name, summary: summary, usage: usage, details: details) }
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
