import Synchronization

/// Who may use the bot: `[security] allowed_users` (empty = anyone) and `admins`.
public final class AccessPolicy: Sendable {
    /// The answer for one user.
    public enum Verdict: Equatable, Sendable {
        case allow
        /// Refuse politely, the first time only.
        case refuse
        /// Already refused once: say nothing.
        case ignore
    }

    private let allowed: Set<Int64>
    private let admins: Set<Int64>
    private let refused = Mutex<Set<Int64>>([])

    public init(allowedUsers: [Int64], admins: [Int64]) {
        self.allowed = Set(allowedUsers)
        self.admins = Set(admins)
    }

    public func check(_ userID: Int64) -> Verdict {
        if allowed.isEmpty || allowed.contains(userID) || admins.contains(userID) { return .allow }
        return refused.withLock { $0.insert(userID).inserted } ? .refuse : .ignore
    }

    /// True for the bot's admins.
    public func isAdmin(_ userID: Int64) -> Bool { admins.contains(userID) }

    /// The one reply a stranger gets.
    public static func refusal(userID: Int64) -> String {
        "This bot is private. Your Telegram user id is <code>\(userID)</code>: ask the bot's owner to add it to allowed_users."
    }
}
