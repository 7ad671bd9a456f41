import BotKit

/// The account keys, re-sealed with the inbox when the master key rotates.
public struct AccountRows: SealedRows {
    /// The key id of account rows no key opens: they fail when used ("/link again") and hold back no key file.
    public static let unopenableKeyID = "unopenable"

    public init() {}

    public func reseal(in db: SQLiteDatabase, from ring: Vault, to target: Vault) throws -> ResealReport {
        var unopenable: [LinkedAccount] = []
        let count = try BotStore.resealAccountRows(in: db) { account in
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
        }
        return ResealReport(resealed: count, unopenable: unopenable.map { "user \($0.userID) account \($0.name)" })
    }

    public func keyIDs(in db: SQLiteDatabase) throws -> Set<String> {
        Set(try db.query("SELECT DISTINCT key_id FROM accounts") { $0.text(0) })
    }
}
