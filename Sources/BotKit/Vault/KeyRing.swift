import Foundation

/// The master key files: `key_file`, and during a rotation `key_file.next` and `key_file.old`.
///
/// Rotation copies the new key to `.next`, re-seals every row in one
/// transaction, then renames `key_file` to `.old` and `.next` to `key_file`.
/// Loading every file present means an interruption at any step leaves each
/// row openable by some loaded key, and running rotate-key again finishes it.
public enum KeyRing {
    /// The vault for `keyFile`, with the other keys of an unfinished rotation.
    public static func load(keyFile: String) throws -> Vault {
        let current = try MasterKey.load(from: keyFile)
        let others = try [keyFile + ".next", keyFile + ".old"]
            .filter { FileManager.default.fileExists(atPath: $0) }
            .map { try MasterKey.load(from: $0) }
        return Vault(current: current, others: others)
    }

    /// Re-seals every account with the key in `newKeyFile` and makes it the current key; returns the rows re-sealed.
    public static func rotate(store: BotStore, keyFile: String, newKeyFile: String) async throws -> Int {
        let newKey = try MasterKey.load(from: newKeyFile)
        let next = keyFile + ".next"
        if !FileManager.default.fileExists(atPath: next) {
            try newKey.write(to: next)
        }
        let ring = try load(keyFile: keyFile)
        guard try MasterKey.load(from: next).id == newKey.id else {
            throw ConfigError("\(next) holds another key from an unfinished rotation; finish it with that key, or remove \(next) if no row uses it")
        }
        let target = Vault(current: newKey)
        let count = try await store.resealAllAccounts { account in
            let secret = try ring.open(account.sealed, userID: account.userID, account: account.name)
            return target.seal(secret, userID: account.userID, account: account.name)
        }
        let old = keyFile + ".old"
        try? FileManager.default.removeItem(atPath: old)
        guard rename(keyFile, old) == 0, rename(next, keyFile) == 0 else {
            throw ConfigError("keys re-sealed, but renaming the key files failed: \(String(cString: strerror(errno))); run rotate-key again")
        }
        return count
    }
}
