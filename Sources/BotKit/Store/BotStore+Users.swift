import Foundation

/// What `setUserDisabled` did.
public enum UserDisableChange: Sendable, Equatable {
    case changed
    /// The user already was in that state.
    case unchanged
    /// The bot has never seen this user.
    case unknown
}

/// The users the bot has seen, recorded as they use it, and the ones an operator disabled.
extension BotStore {
    /// Records that a user was active (creates the user on first sight).
    public func touchUser(_ user: User, now: Date = Date()) throws {
        try db.run("""
            INSERT INTO users(user_id, username, first_name, first_seen, last_active) VALUES(?, ?, ?, ?, ?)
            ON CONFLICT(user_id) DO UPDATE SET username = excluded.username, first_name = excluded.first_name,
                last_active = excluded.last_active
            """, .integer(user.id), user.username.map(SQLValue.text) ?? .null, .text(user.firstName),
            .real(now.timeIntervalSince1970), .real(now.timeIntervalSince1970))
    }

    /// Disables (refused like a stranger, no job messages) or enables a known user; admins are the caller's to refuse.
    public func setUserDisabled(_ userID: Int64, _ disabled: Bool, now: Date = Date()) throws -> UserDisableChange {
        try db.transaction {
            let state = try db.query("SELECT disabled_at IS NOT NULL FROM users WHERE user_id = ?", .integer(userID)) { $0.int(0) == 1 }
            guard let current = state.first else { return .unknown }
            guard current != disabled else { return .unchanged }
            try db.run("UPDATE users SET disabled_at = ? WHERE user_id = ?",
                       disabled ? .real(now.timeIntervalSince1970) : .null, .integer(userID))
            return .changed
        }
    }

    /// True when an operator disabled `userID`.
    public func isUserDisabled(_ userID: Int64) throws -> Bool {
        try db.query("SELECT 1 FROM users WHERE user_id = ? AND disabled_at IS NOT NULL", .integer(userID)) { $0.int(0) }.isEmpty == false
    }

    /// SQL that is true when the user id in `column` is not disabled: the one predicate every job that picks
    /// recipients (alerts, summaries, order watch, broadcasts) adds to its query.
    public static func notDisabled(_ column: String) -> String {
        "\(column) NOT IN (SELECT user_id FROM users WHERE disabled_at IS NOT NULL)"
    }
}

extension BotStore {
    /// `isUserDisabled` for `AccessPolicy`; a store that cannot answer lets the user in (their commands then meet the
    /// same broken store), rather than shutting out everyone over one failed read.
    public nonisolated var disabledLookup: @Sendable (Int64) async -> Bool {
        { [self] userID in (try? await isUserDisabled(userID)) ?? false }
    }
}
