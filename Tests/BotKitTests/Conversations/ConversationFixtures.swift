@testable import BotKit
import Foundation
import Logging
import TestSupport
import Testing

/// A two-step test conversation over `NoServices`: ticker, then side; and the command that starts it.
struct OrderFlow: Conversation {
    typealias Services = NoServices
    enum State: String, Sendable { case ticker, side }
    static let name = "order"
    static let title = "test order"
    static let restartCommand: String? = "/order"
    static let sides = [ConversationChoice("buy", label: "Buy", aliases: ["b"]), ConversationChoice("sell", label: "Sell short", aliases: ["s"])]

    static func handle(_ state: State, _ input: ConversationInput, in context: ConversationContext<NoServices>) async throws
        -> ConversationStep<State> {
        switch state {
        case .ticker:
            guard let ticker = input.text?.uppercased(), ticker.wholeMatch(of: /[A-Z]{2,10}/) != nil else {
                return .stay(context.reply("Send a ticker like NVDA, or /cancel."))
            }
            return .next(.side, data: ["ticker": ticker], replies: context.reply("Buy or sell \(ticker)?", keyboard: context.keyboard(sides)))
        case .side:
            guard let side = input.matching(sides) else { return .stay(context.reply("Pick Buy or Sell short.")) }
            return .finish(context.reply("Order: \(side.value) \(context.data["ticker"] ?? "?")."))
        }
    }
}

/// /order [TICKER]: starts `OrderFlow`, skipping the ticker step when given.
struct OrderCommand: Command {
    static let name = "order"
    static let summary = "Starts a test order"
    let ticker: String?
    init(arguments: inout ArgumentScanner) throws { ticker = arguments.optionalWord()?.uppercased() }
    func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] {
        if let ticker {
            context.startConversation(OrderFlow.self, at: .side, data: ["ticker": ticker])
            return context.reply("Buy or sell \(ticker)?")
        }
        context.startConversation(OrderFlow.self, at: .ticker)
        return context.reply("Which ticker?")
    }
}

/// A bot without Telegram: updates are recorded in a real store, routed, and completed as the dispatcher does.
struct ConversationRig {
    static let user = User(id: 42, firstName: "Ann")
    static let registry = CommandRegistry<NoServices>([OrderCommand.self, CancelCommand<NoServices>.self, StepFixtures.Echo.self],
                                                      conversations: [OrderFlow.self])
    let directory: TemporaryDirectory
    let router: UpdateRouter<NoServices>
    var store: BotStore { router.bot.store }

    /// A rig on `directory` (a second rig on the same directory is the bot after a restart).
    init(directory: TemporaryDirectory, registry: CommandRegistry<NoServices> = registry) throws {
        self.directory = directory
        router = try EngineRig.router(registry, directory: directory, logger: Logger(label: "test"))
    }

    /// A private message from the user, as Telegram sends it.
    static func message(_ text: String, id: Int64) -> Message {
        let length = text.hasPrefix("/") ? text.prefix { $0 != " " }.utf16.count : 0
        return Message(messageID: id, from: user, chat: Chat(id: user.id, type: "private"), date: Int64(Date().timeIntervalSince1970),
                       text: text, entities: length > 1 ? [MessageEntity(type: "bot_command", offset: 0, length: length)] : nil)
    }

    /// Records `update`, routes it and completes it; returns the texts (and toasts) queued.
    @discardableResult
    func send(_ update: Update) async throws -> [String] {
        let slots = try JSONDecoder().decode([UpdateSlot].self, from: JSONEncoder().encode([update]))
        let items = try await store.record(slots)
        let result = await router.handle(try #require(items.first))
        let stored = try await store.complete(updateID: update.updateID, replies: result.replies, log: result.log, user: result.user,
                                              conversation: result.conversation)
        return stored.map { Self.text(of: $0.message) }
    }

    func say(_ text: String, id: Int64) async throws -> [String] {
        try await send(Update(updateID: id, message: Self.message(text, id: id)))
    }

    func press(_ data: String, id: Int64) async throws -> [String] {
        let shown = Message(messageID: 900, from: User(id: 1, isBot: true, firstName: "Bot"), chat: Chat(id: Self.user.id, type: "private"),
                            date: Int64(Date().timeIntervalSince1970), text: "Buy or sell?")
        return try await send(Update(updateID: id, callbackQuery: CallbackQuery(id: "q\(id)", from: Self.user, message: shown, data: data)))
    }

    func open() async throws -> ConversationRecord? { try await store.conversation(chatID: Self.user.id, userID: Self.user.id) }

    /// The text of a sendMessage, or the toast of an answerCallbackQuery ("(no toast)" when none).
    static func text(of message: OutgoingMessage) -> String {
        let object = (try? JSONSerialization.jsonObject(with: message.payload)) as? [String: Any]
        if message.method == "answerCallbackQuery" { return "toast: " + ((object?["text"] as? String) ?? "(none)") }
        return (object?["text"] as? String) ?? message.method
    }

    /// The callback data of the buttons on a reply's payload.
    static func buttons(of message: OutgoingMessage) -> [String] {
        let object = (try? JSONSerialization.jsonObject(with: message.payload)) as? [String: Any]
        let markup = object?["reply_markup"] as? [String: Any]
        return ((markup?["inline_keyboard"] as? [[[String: Any]]]) ?? []).flatMap { $0.compactMap { $0["callback_data"] as? String } }
    }
}
