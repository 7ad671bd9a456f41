import Foundation

/// Moving sealed values between master keys (rotate-key) and between sealing formats (migrations).
///
/// Inbox payloads are sealed as `S1` + the 16-character key id + the box, bound
/// to `pollbot-inbox-v1|update=ID`; BotStore+Inbox.swift seals and opens them with the helpers here.
extension BotStore {
    static let sealedPayloadMarker = Data("S1".utf8)
    static let keyIDLength = 16

    static func inboxContext(updateID: Int64) -> String { "pollbot-inbox-v1|update=\(updateID)" }

    /// The sealed secret inside an inbox payload, or nil for a payload stored in the clear.
    static func sealedPayload(_ payload: Data) -> SealedSecret? {
        guard payload.starts(with: sealedPayloadMarker), payload.count > sealedPayloadMarker.count + keyIDLength else { return nil }
        let keyID = String(decoding: payload.dropFirst(sealedPayloadMarker.count).prefix(keyIDLength), as: UTF8.self)
        return SealedSecret(box: Data(payload.dropFirst(sealedPayloadMarker.count + keyIDLength)), keyID: keyID)
    }

    /// The inbox payload that stores `sealed`.
    static func payload(_ sealed: SealedSecret) -> Data {
        sealedPayloadMarker + Data(sealed.keyID.utf8) + sealed.box
    }

    /// What a re-seal changed.
    public struct Resealed: Sendable, Equatable {
        public var accounts = 0
        public var inbox = 0
        /// Account rows no loaded key opens (tampered, or sealed for another host): marked so that they name no key.
        public var unopenableAccounts: [String] = []
    }

    /// The key id given to account rows that no key opens: they fail when used ("/link again") and hold back no key file.
    static let unopenableKeyID = "unopenable"

    /// Re-seals every account key and every sealed inbox payload, opened with `ring`, with `target`'s current key,
    /// in one transaction (all rows change, or none). A row no key opens cannot block the rotation: an account row
    /// is marked `unopenableKeyID`, an inbox row is failed.
    public func resealEverything(from ring: Vault, to target: Vault) throws -> Resealed {
        try db.transaction {
            var done = Resealed()
            var unopenable: [LinkedAccount] = []
            done.accounts = try Self.resealAccountRows(in: db) { account in
                guard account.sealed.keyID != Self.unopenableKeyID,
                      let secret = try? ring.openSecret(account.sealed, userID: account.userID, account: account.name, host: account.host)
                else {
                    unopenable.append(account)
                    return nil
                }
                return target.seal(secret, context: Vault.accountContext(userID: account.userID, account: account.name, host: account.host))
            }
            for account in unopenable {
                try db.run("UPDATE accounts SET key_id = ? WHERE user_id = ? AND name = ?",
                           .text(Self.unopenableKeyID), .integer(account.userID), .text(account.name))
                done.unopenableAccounts.append("user \(account.userID) account \(account.name)")
            }
            let rows = try db.query("SELECT update_id, payload FROM inbox") { ($0.int64(0), $0.blob(1)) }
            for (id, payload) in rows {
                guard let sealed = Self.sealedPayload(payload) else { continue }
                let context = Self.inboxContext(updateID: id)
                guard let opened = try? ring.openSecret(sealed, context: context) else {
                    // A payload no loaded key opens could never be handled: failed for the operator, not pending forever.
                    try db.run("""
                        UPDATE inbox SET payload = x'', status = CASE status WHEN 0 THEN 3 ELSE status END,
                            failure = CASE status WHEN 0 THEN ? ELSE failure END
                        WHERE update_id = ?
                        """, .text("stored update cannot be opened with any loaded master key"), .integer(id))
                    continue
                }
                let resealed = target.seal(opened, context: context)
                try db.run("UPDATE inbox SET payload = ? WHERE update_id = ?", .blob(Self.payload(resealed)), .integer(id))
                done.inbox += 1
            }
            return done
        }
    }

    /// The ids of the master keys some stored row was sealed with; a key not in this set may be retired.
    public func keyIDsInUse() throws -> Set<String> {
        var ids = Set(try db.query("SELECT DISTINCT key_id FROM accounts") { $0.text(0) })
        for payload in try db.query("SELECT payload FROM inbox", row: { $0.blob(0) }) {
            if let sealed = Self.sealedPayload(payload) { ids.insert(sealed.keyID) }
        }
        return ids
    }

    /// Once per database: account keys sealed before the host was bound into their associated data are re-sealed
    /// with it, in one transaction; rows that do not open are left as they are (they fail when used, asking for /link).
    /// Static because the store's initialiser runs it, before the actor is isolated.
    static func bindHostsIntoAccountSeals(in db: SQLiteDatabase, vault: Vault) throws {
        let marker = "account_seal_format"
        guard try db.query("SELECT value FROM meta WHERE key = ?", .text(marker), row: { $0.text(0) }).first != "2" else { return }
        try db.transaction {
            _ = try resealAccountRows(in: db) { account in
                guard let secret = try? vault.openSecret(
                    account.sealed, context: Vault.legacyAccountContext(userID: account.userID, account: account.name))
                else { return nil }
                return vault.seal(secret, context: Vault.accountContext(userID: account.userID, account: account.name, host: account.host))
            }
            try db.run("INSERT INTO meta(key, value) VALUES(?, '2') ON CONFLICT(key) DO UPDATE SET value = excluded.value", .text(marker))
        }
    }
}
