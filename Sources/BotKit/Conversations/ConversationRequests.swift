import Foundation
import Synchronization

/// What a command asked of the conversations while it ran (start one, end the open one); the handler turns it into a
/// `ConversationChange` stored with the command's replies. One per command run.
public final class ConversationRequests: Sendable {
    /// A start or an end asked for by a command.
    enum Request: Sendable, Equatable {
        case start(name: String, state: String, data: [String: String], run: String)
        case end
    }

    private let request = Mutex<Request?>(nil)
    /// Registered conversations' titles by name, so that /cancel can say which one it ended.
    let titles: [String: String]

    init(titles: [String: String] = [:]) { self.titles = titles }

    func set(_ new: Request) { request.withLock { $0 = new } }
    func take() -> Request? { request.withLock { value in defer { value = nil }; return value } }
}

extension CommandContext {
    /// Starts conversation `type` at `state` with `data` once the command's replies are stored (replacing any open one);
    /// the result makes the buttons of its first question. `run` is a planned run's token, else a new one is made.
    @discardableResult
    public func startConversation<C: Conversation>(_ type: C.Type, at state: C.State, data: [String: String] = [:],
                                                   run: String? = nil) -> ConversationStart where C.Services == Services {
        let run = run ?? ConversationRun.make()
        conversations.set(.start(name: C.name, state: state.rawValue, data: data, run: run))
        return ConversationStart(name: C.name, run: run, owner: user?.id ?? chat.id)
    }

    /// A run of `type` planned but not started: its buttons can be drawn before the command knows whether it will
    /// start it (with `startConversation(_:at:data:run:)` and this run), so a command that fails starts nothing.
    public func plannedConversation<C: Conversation>(_ type: C.Type) -> ConversationStart where C.Services == Services {
        ConversationStart(name: C.name, run: ConversationRun.make(), owner: user?.id ?? chat.id)
    }

    /// Ends the sender's open conversation in this chat once the command's replies are stored.
    public func endConversation() { conversations.set(.end) }

    /// The name and title of the sender's open conversation in this chat, if any (expired ones do not count).
    public func openConversation(now: Date = Date()) async throws -> (name: String, title: String)? {
        guard let user else { return nil }
        guard let record = try await bot.store.conversation(chatID: chat.id, userID: user.id), record.expiresAt > now else { return nil }
        return (record.name, conversations.titles[record.name] ?? "conversation")
    }
}

/// A conversation a command has just started: what its first question's buttons need.
public struct ConversationStart: Sendable {
    public let name: String
    public let run: String
    public let owner: Int64

    /// `choices` as buttons of this run of the conversation, `columns` to a row.
    public func keyboard(_ choices: [ConversationChoice], columns: Int = 3) -> InlineKeyboard {
        ConversationButtons.keyboard(choices, conversation: name, run: run, owner: owner, columns: columns)
    }
}
