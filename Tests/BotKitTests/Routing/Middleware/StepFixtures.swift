import BotKit
import Foundation
import Synchronization
import TestSupport

/// Requests built by hand and a `next` that records what reached it: middleware steps are tested without Telegram.
enum StepFixtures {
    static let user = User(id: 42, firstName: "Ann", username: "ann")
    static let stranger = User(id: 666, firstName: "Eve")
    static let group = Chat(id: -100_500, type: "supergroup", title: "Traders")
    /// 2026-01-01 09:58:00 UTC: stale notices in UTC show "09:58".
    static let sentAt = Date(timeIntervalSince1970: 1_767_261_480)

    /// A message as Telegram sends it: a leading `/name` gets its bot_command entity.
    static func message(_ text: String, from: User = user, chat: Chat? = nil, id: Int64 = 7, sentAt: Date = sentAt) -> Message {
        let commandLength = text.hasPrefix("/") ? text.prefix { $0 != " " }.utf16.count : 0
        let entities = commandLength > 1 ? [MessageEntity(type: "bot_command", offset: 0, length: commandLength)] : nil
        return Message(messageID: id, from: from, chat: chat ?? Chat(id: from.id, type: "private"),
                       date: Int64(sentAt.timeIntervalSince1970), text: text, entities: entities)
    }

    /// A message request as the router builds it, received `after` seconds after it was sent.
    static func request(_ text: String, from: User = user, chat: Chat? = nil, id: Int64 = 7, after delay: TimeInterval = 1,
                        registry: CommandRegistry<NoServices> = registry) -> UpdateRequest {
        let message = message(text, from: from, chat: chat, id: id)
        let parsed = CommandParser.parse(message, botUsername: "PollTestBot")
        return UpdateRequest(kind: .message(message, parsed), receivedAt: sentAt.addingTimeInterval(delay),
                             command: parsed.flatMap { registry.command(named: $0.name)?.traits })
    }

    /// A button press received at `receivedAt`, after waiting in Telegram's queue since `waitedSince` (nil: seen live).
    static func press(_ data: String?, by from: User = user, chat: Chat? = nil, receivedAt: Date = sentAt,
                      waitedSince: Date? = nil) -> UpdateRequest {
        let shown = Message(messageID: 3, from: User(id: 1, isBot: true, firstName: "Bot"), chat: chat ?? Chat(id: from.id, type: "private"),
                            date: Int64(sentAt.timeIntervalSince1970) - 3600, text: "Menu")
        let query = CallbackQuery(id: "q1", from: from, message: shown, data: data)
        return UpdateRequest(kind: .button(query), receivedAt: receivedAt, waitedSince: waitedSince, command: nil)
    }

    static let registry = CommandRegistry<NoServices>([Echo.self, Vaulted.self, Private.self, Open.self])

    /// A key shape for `SecretPolicy`: "sk-" and 16 more characters.
    static let secrets = SecretPolicy(looksSecret: { $0.contains(/sk-[A-Za-z0-9]{16}/) },
                                      warning: "That looks like a key: I deleted it.", revokeWhat: "the key at the issuer")
    static let key = "sk-ABCDEFGHIJKLMNOP"

    /// An ordinary command.
    struct Echo: Command {
        static let name = "echo"
        static let summary = "Repeats"
        let words: String
        init(arguments: inout ArgumentScanner) throws { words = arguments.rest() }
        func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] { context.reply(HTML.escape(words)) }
    }

    /// A command whose message carries a secret: only its checked account name may be logged.
    struct Vaulted: Command {
        static let name = "vault"
        static let summary = "Stores a key"
        static let usage = "/vault NAME KEY"
        static let carriesSecret = true
        let account: String
        init(arguments: inout ArgumentScanner) throws {
            account = try arguments.word("NAME")
            _ = try arguments.word("KEY")
        }
        func loggedArguments(in context: CommandContext<NoServices>) -> String? { "account=\(account)" }
        func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] { context.reply("Stored.") }
    }

    /// A command for private chats only.
    struct Private: Command {
        static let name = "mine"
        static let summary = "Private data"
        static let privateOnly = true
        init(arguments: inout ArgumentScanner) throws {}
        func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] { context.reply("Yours.") }
    }

    /// A command anyone may run.
    struct Open: Command {
        static let name = "whoami"
        static let summary = "Your id"
        static let openToEveryone = true
        init(arguments: inout ArgumentScanner) throws {}
        func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] { context.reply("\(context.user?.id ?? 0)") }
    }
}

/// The rest of the chain, as a step sees it: records every request that reached it and answers with `response`.
final class NextProbe: Sendable {
    private let seen = Mutex<[UpdateRequest]>([])
    private let response: RouterResponse

    init(_ response: RouterResponse = RouterResponse(text: "handled", outcome: .ok)) {
        self.response = response
    }

    var handler: UpdateHandler {
        { [self] request in
            seen.withLock { $0.append(request) }
            return response
        }
    }

    var calls: Int { seen.withLock { $0.count } }
    var last: UpdateRequest? { seen.withLock { $0.last } }
}
