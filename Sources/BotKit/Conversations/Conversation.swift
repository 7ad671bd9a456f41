import Foundation

/// A guided dialogue declared as states and the handler of each (aiogram's `StatesGroup` is the model): the engine
/// keeps its state and data per user in chat, routes plain text and its buttons to it, ends it on /cancel or time-out.
///
/// The state is stored by its raw value, so renaming a case strands conversations open at an upgrade: the engine then
/// ends them with a notice instead of guessing.
public protocol Conversation<Services>: Sendable {
    associatedtype Services: Sendable
    /// The states; stored as their raw values.
    associatedtype State: RawRepresentable & Sendable where State.RawValue == String
    /// The stored name and the one in its buttons: `a-z0-9_`, at most 16 characters (callback data is 64 bytes).
    static var name: String { get }
    /// How replies name it: "stock analysis" ("Cancelled the stock analysis.").
    static var title: String { get }
    /// How long it waits for the user's next answer before it ends; the registry may override it from config.
    static var timeout: TimeInterval { get }
    /// The command that starts it again, named in the time-out notice (`/analyze`); nil names none.
    static var restartCommand: String? { get }
    /// The message sent when it timed out after `limit` seconds without an answer.
    static func timeoutNotice(after limit: TimeInterval) -> String
    /// Handles one answer (typed text or a press of one of its buttons) in `state`.
    static func handle(_ state: State, _ input: ConversationInput, in context: ConversationContext<Services>) async throws
        -> ConversationStep<State>
}

extension Conversation {
    public static var timeout: TimeInterval { 600 }
    public static var restartCommand: String? { nil }

    public static func timeoutNotice(after limit: TimeInterval) -> String {
        let minutes = max(1, Int((limit / 60).rounded()))
        let again = restartCommand.map { "; send \(HTML.escape($0)) to start again" } ?? ""
        return "Your \(HTML.escape(title)) timed out after \(minutes) min\(again)."
    }
}

/// What a conversation handler decided.
public enum ConversationStep<State: Sendable>: Sendable {
    /// Move to `state` with `data` (replacing the stored data) and send `replies`.
    case next(State, data: [String: String], replies: [OutgoingMessage])
    /// Stay in the same state with the same data (an answer that did not fit), sending `replies`.
    case stay([OutgoingMessage])
    /// End the conversation, sending `replies`.
    case finish([OutgoingMessage])
}

/// One answer given to a conversation.
public enum ConversationInput: Sendable, Equatable {
    /// Text typed in a private chat.
    case text(String)
    /// A press of one of the conversation's buttons: the choice's value.
    case choice(String)

    /// The choice among `choices` this answer names: a pressed value, or typed as its number ("1"), its value
    /// ("csp"), its label ("Cash-secured put") or an alias, case and surrounding spaces ignored.
    public func matching(_ choices: [ConversationChoice]) -> ConversationChoice? {
        switch self {
        case .choice(let value):
            return choices.first { $0.value == value }
        case .text(let text):
            let typed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard !typed.isEmpty else { return nil }
            if let number = Int(typed), number >= 1, number <= choices.count { return choices[number - 1] }
            return choices.first { choice in
                ([choice.value, choice.label] + choice.aliases).contains { $0.lowercased() == typed }
            }
        }
    }

    /// The typed text, trimmed; nil for a button press.
    public var text: String? {
        if case .text(let text) = self { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        return nil
    }
}

/// One option offered as a button and accepted typed.
public struct ConversationChoice: Sendable, Equatable {
    /// What the button sends and the handler compares (short: it rides in 64 bytes of callback data).
    public var value: String
    /// The button's text.
    public var label: String
    /// Other words accepted when typed.
    public var aliases: [String]

    public init(_ value: String, label: String, aliases: [String] = []) {
        self.value = value
        self.label = label
        self.aliases = aliases
    }
}
