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
    public var startedAt: Date
    public var updatedAt: Date
    /// When it ends unless the user answers; every answer moves it on by the conversation's time limit.
    public var expiresAt: Date

    public init(chatID: Int64, userID: Int64, name: String, state: String, data: [String: String], startedAt: Date,
                updatedAt: Date, expiresAt: Date) {
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
    /// Start or advance: store this row (replacing the user's open one in that chat).
    case save(ConversationRecord)
    /// End the user's open conversation in the chat (finished or cancelled).
    case end(chatID: Int64, userID: Int64)
}
