import BotKit
import Foundation

/// Users' linked accounts, in the app's `accounts` table.
extension BotStore {
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
    func resealAllAccounts(_ reseal: (LinkedAccount) throws -> SealedSecret) throws -> Int {
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

    /// Once per database: account keys sealed before the host was bound into their associated data are re-sealed
    /// with it, in one transaction; rows that do not open are left as they are (they fail when used, asking for /link).
    /// The app runs it right after opening the store, before any key is used.
    public func bindHostsIntoAccountSeals(vault: Vault) throws {
        let marker = "account_seal_format"
        guard try db.query("SELECT value FROM meta WHERE key = ?", .text(marker), row: { $0.text(0) }).first != "2" else { return }
        try db.transaction {
            _ = try Self.resealAccountRows(in: db) { account in
                guard let secret = try? vault.openSecret(
                    account.sealed, context: Vault.legacyAccountContext(userID: account.userID, account: account.name))
                else { return nil }
                return vault.seal(secret, context: Vault.accountContext(userID: account.userID, account: account.name, host: account.host))
            }
            try db.run("INSERT INTO meta(key, value) VALUES(?, '2') ON CONFLICT(key) DO UPDATE SET value = excluded.value", .text(marker))
        }
    }
}

extension Schema {
    /// The app's tables: linked broker accounts (their keys sealed by the vault), and the order flow's.
    public static let pollBot = Schema(module: "pollbot", steps: [
        // 1: linked accounts (in databases from before per-module versions, created by their step 2).
        """
        CREATE TABLE accounts(
            user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            host TEXT NOT NULL,
            sealed_key BLOB NOT NULL,
            key_id TEXT NOT NULL,
            key_hint TEXT NOT NULL,
            linked_at REAL NOT NULL,
            PRIMARY KEY(user_id, name)
        );
        """,
        // 2: the guarded order flow: confirmations waiting for their button, order intents committed before any broker
        // call (a broker order id is claimed by one intent at most), and the audit of every order action.
        OrderTables.step,
        // 3: a confirmation may carry an order action other than a placement (cancel, modify, cancel all, close all,
        // mode switch), through the same single-use, owner-bound, time-limited confirm.
        PendingActionText.step,
        // 4: the OpenAlgo host a confirmation's preview read, so relinking the account elsewhere cannot redirect it.
        "ALTER TABLE order_confirmations ADD COLUMN host TEXT;",
        // 5: which press confirmed, and an action's verdict, so the replay of that press after a crash repeats the verdict.
        OrderTables.pressStep,
    ], legacyVersion: { $0 >= 2 ? 1 : 0 })
}
