import Foundation
import Synchronization

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
        let change = try db.transaction {
            let state = try db.query("SELECT disabled_at IS NOT NULL FROM users WHERE user_id = ?", .integer(userID)) { $0.int(0) == 1 }
            guard let current = state.first else { return UserDisableChange.unknown }
            guard current != disabled else { return .unchanged }
            try db.run("UPDATE users SET disabled_at = ? WHERE user_id = ?",
                       disabled ? .real(now.timeIntervalSince1970) : .null, .integer(userID))
            return .changed
        }
        // This connection's own commits do not move its data_version: the set follows them here.
        if change == .changed { disabledUsers.set(userID, disabled) }
        return change
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
    /// `isUserDisabled` for `AccessPolicy`, answered from memory: the set follows this store's own changes at once and
    /// another process's (`pollbot users --disable`) from the next update's `startAttempt`, which runs before its
    /// access check.
    public nonisolated var disabledLookup: @Sendable (Int64) async -> Bool {
        { [disabledUsers] userID in disabledUsers.contains(userID) }
    }

    /// Reloads the disabled users when another connection committed since the last look (`PRAGMA data_version`, one
    /// cheap statement); a failed read keeps the set as it was, as the lookup it replaces let a user in on failure.
    func refreshDisabledUsers() {
        try? disabledUsers.reload(from: db)
    }
}

/// The disabled users as last read, and the `data_version` they were read at.
final class DisabledUsers: Sendable {
    private struct State {
        var ids: Set<Int64> = []
        var version: Int?
    }

    private let state = Mutex(State())

    func contains(_ userID: Int64) -> Bool { state.withLock { $0.ids.contains(userID) } }

    func set(_ userID: Int64, _ disabled: Bool) {
        state.withLock { state in
            if disabled { state.ids.insert(userID) } else { state.ids.remove(userID) }
        }
    }

    /// Reads the set again when `db`'s data_version moved (on `db`'s thread).
    func reload(from db: SQLiteDatabase) throws {
        let version = try db.query("PRAGMA data_version") { $0.int(0) }.first
        guard version == nil || version != state.withLock({ $0.version }) else { return }
        let ids = try db.query("SELECT user_id FROM users WHERE disabled_at IS NOT NULL") { $0.int64(0) }
        state.withLock { $0 = State(ids: Set(ids), version: version) }
    }
}
