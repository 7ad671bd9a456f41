import Foundation

/// One open conversation as stored: per user in chat, with absolute times so that expiry survives a restart.
public struct ConversationRecord: Sendable, Equatable {
    public var chatID: Int64
    public var userID: Int64
    /// The conversation type's `name`.
    public var name: String
    /// The state's raw value.
    public var state: String
    public var data: [String: String]
    /// A token for this run of the conversation, carried by its buttons.
    public var run: String
    public var startedAt: Date
    public var updatedAt: Date
    /// When it ends unless the user answers; every answer moves it on by the conversation's time limit.
    public var expiresAt: Date

    public init(chatID: Int64, userID: Int64, name: String, state: String, data: [String: String], run: String = "",
                startedAt: Date, updatedAt: Date, expiresAt: Date) {
        self.run = run
        self.chatID = chatID
        self.userID = userID
        self.name = name
        self.state = state
        self.data = data
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
    }

    /// The time limit it runs under.
    public var limit: TimeInterval { expiresAt.timeIntervalSince(updatedAt) }
}

/// How handling one update changed a conversation; stored in the same transaction as the update's replies.
public enum ConversationChange: Sendable, Equatable {
    /// Start: store this row, replacing the user's open one in that chat.
    case save(ConversationRecord)
    /// Advance: store this row only if the stored one is still the run and version the handler read (`was` is its
    /// `updatedAt`); a conversation the sweeper or /cancel ended meanwhile stays ended.
    case update(ConversationRecord, was: Date)
    /// End the user's open conversation in the chat, or only the run `run` (one its handler finished), counting `outcome`.
    case end(chatID: Int64, userID: Int64, run: String? = nil, outcome: ConversationOutcome)
}

/// How a conversation ended, as `pollbot stats` counts it.
public enum ConversationOutcome: String, Sendable, CaseIterable {
    /// Its handler finished it.
    case completed
    /// /cancel ended it.
    case cancelled
    /// The sweeper ended it after its time limit.
    case timedOut = "timed_out"
    /// A new start replaced it before it ended.
    case replaced
    /// Its stored state is unknown to this version of the bot.
    case abandoned
}

/// Run tokens: six characters of base 36, random.
enum ConversationRun {
    static func make() -> String {
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        return String((0..<6).map { _ in digits[Int.random(in: 0..<digits.count)] })
    }
}

/// One conversation's starts and endings over a period, for `pollbot stats`.
public struct ConversationStats: Sendable, Equatable {
    public var name: String
    public var started: Int
    public var completed: Int
    public var cancelled: Int
    public var timedOut: Int
    public var replaced: Int
    public var abandoned: Int

    public init(name: String, started: Int, completed: Int, cancelled: Int, timedOut: Int, replaced: Int, abandoned: Int) {
        self.name = name
        self.started = started
        self.completed = completed
        self.cancelled = cancelled
        self.timedOut = timedOut
        self.replaced = replaced
        self.abandoned = abandoned
    }

    /// Completed over started, in percent; nil before any start.
    public var completionRate: Double? { started > 0 ? Double(completed) / Double(started) * 100 : nil }
}
