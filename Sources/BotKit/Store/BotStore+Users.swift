import Foundation

/// The users the bot has seen, recorded as they use it.
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
}
