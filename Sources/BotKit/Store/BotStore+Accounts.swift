import Foundation

/// A broker account a user linked; the API key stays sealed.
public struct LinkedAccount: Sendable, Equatable {
    public var userID: Int64
    public var name: String
    public var host: String
    public var sealed: SealedSecret
    /// The last four characters of the key, the only part ever shown.
    public var keyHint: String
    public var linkedAt: Date

    public init(userID: Int64, name: String, host: String, sealed: SealedSecret, keyHint: String, linkedAt: Date) {
        self.userID = userID
        self.name = name
        self.host = host
        self.sealed = sealed
        self.keyHint = keyHint
        self.linkedAt = linkedAt
    }
}

/// Users and their linked accounts.
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

    /// Stores or replaces an account and makes it the user's active one.
    public func saveAccount(_ account: LinkedAccount) throws {
        try db.transaction {
            try db.run("""
                INSERT INTO users(user_id, first_seen, last_active) VALUES(?, ?, ?) ON CONFLICT(user_id) DO NOTHING
                """, .integer(account.userID), .real(account.linkedAt.timeIntervalSince1970), .real(account.linkedAt.timeIntervalSince1970))
            try db.run("""
                INSERT INTO accounts(user_id, name, host, sealed_key, key_id, key_hint, linked_at) VALUES(?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(user_id, name) DO UPDATE SET host = excluded.host, sealed_key = excluded.sealed_key,
                    key_id = excluded.key_id, key_hint = excluded.key_hint, linked_at = excluded.linked_at
                """, .integer(account.userID), .text(account.name), .text(account.host), .blob(account.sealed.box),
                .text(account.sealed.keyID), .text(account.keyHint), .real(account.linkedAt.timeIntervalSince1970))
            try db.run("UPDATE users SET active_account = ? WHERE user_id = ?", .text(account.name), .integer(account.userID))
        }
    }

    /// The user's accounts, by name.
    public func accounts(of userID: Int64) throws -> [LinkedAccount] {
        try db.query("""
            SELECT user_id, name, host, sealed_key, key_id, key_hint, linked_at FROM accounts WHERE user_id = ? ORDER BY name
            """, .integer(userID), row: Self.account)
    }

    /// The account the user picked with /use (or the only one).
    public func activeAccount(of userID: Int64) throws -> LinkedAccount? {
        let all = try accounts(of: userID)
        let active = try db.query("SELECT active_account FROM users WHERE user_id = ?", .integer(userID)) {
            $0.isNull(0) ? nil : $0.text(0)
        }.first ?? nil
        return all.first { $0.name == active } ?? (all.count == 1 ? all.first : nil)
    }

    /// Makes `name` the active account; false when the user has no such account.
    public func useAccount(_ name: String, of userID: Int64) throws -> Bool {
        guard try accounts(of: userID).contains(where: { $0.name == name }) else { return false }
        try db.run("UPDATE users SET active_account = ? WHERE user_id = ?", .text(name), .integer(userID))
        return true
    }

    /// Deletes the named accounts (all when `names` is nil); returns the names removed.
    public func deleteAccounts(_ names: [String]?, of userID: Int64) throws -> [String] {
        try db.transaction {
            let existing = try accounts(of: userID).map(\.name)
            let removing = names.map { wanted in existing.filter(wanted.contains) } ?? existing
            for name in removing {
                try db.run("DELETE FROM accounts WHERE user_id = ? AND name = ?", .integer(userID), .text(name))
            }
            try db.run("""
                UPDATE users SET active_account = NULL WHERE user_id = ?
                  AND active_account NOT IN (SELECT name FROM accounts WHERE user_id = ?)
                """, .integer(userID), .integer(userID))
            return removing
        }
    }

    /// Re-seals every stored key in one transaction: all rows change, or none.
    public func resealAllAccounts(_ reseal: (LinkedAccount) throws -> SealedSecret) throws -> Int {
        try db.transaction { try Self.resealAccountRows(in: db, reseal) }
    }

    /// Re-seals every account row (skipping those `reseal` answers nil for); the caller holds the transaction.
    static func resealAccountRows(in db: SQLiteDatabase, _ reseal: (LinkedAccount) throws -> SealedSecret?) throws -> Int {
        let rows = try db.query("SELECT user_id, name, host, sealed_key, key_id, key_hint, linked_at FROM accounts", row: Self.account)
        var count = 0
        for row in rows {
            guard let sealed = try reseal(row) else { continue }
            try db.run("UPDATE accounts SET sealed_key = ?, key_id = ? WHERE user_id = ? AND name = ?",
                       .blob(sealed.box), .text(sealed.keyID), .integer(row.userID), .text(row.name))
            count += 1
        }
        return count
    }

    static func account(_ row: Row) -> LinkedAccount {
        LinkedAccount(userID: row.int64(0), name: row.text(1), host: row.text(2),
                      sealed: SealedSecret(box: row.blob(3), keyID: row.text(4)), keyHint: row.text(5),
                      linkedAt: Date(timeIntervalSince1970: row.double(6)))
    }
}
