import Foundation

/// The master key files: `key_file`, and during a rotation `key_file.next` and `key_file.old`.
///
/// Rotation copies the new key to `.next`, re-seals the app's sealed rows and
/// inbox payload in one transaction, renames `key_file` to `.old` and `.next`
/// to `key_file`, then deletes `.old` once no row needs it. Loading every
/// file present means an interruption at any step leaves each row openable by
/// some loaded key, and running rotate-key again finishes it.
public enum KeyRing {
    /// The vault for `keyFile`, with the other keys of an unfinished rotation.
    public static func load(keyFile: String) throws -> Vault {
        let next = keyFile + ".next", old = keyFile + ".old"
        // Stopped between the two renames: key_file is already `.old`, and `.next` holds the key every row uses.
        let currentPath = !exists(keyFile) && exists(next) ? next : keyFile
        let current = try MasterKey.load(from: currentPath)
        let others = try [next, old].filter { $0 != currentPath && exists($0) }.map { try MasterKey.load(from: $0) }
        return Vault(current: current, others: others)
    }

    /// What a rotation re-sealed.
    public struct Rotation: Sendable, Equatable {
        /// The app's sealed rows re-sealed.
        public var rows: Int
        public var inboxRows: Int
        /// True when the previous key file was deleted because no row needs it any more.
        public var retiredOldKey: Bool
        /// The app's rows no loaded master key opens, as the app names them: left unusable.
        public var unopenable: [String] = []

        public init(rows: Int, inboxRows: Int, retiredOldKey: Bool, unopenable: [String] = []) {
            self.rows = rows
            self.inboxRows = inboxRows
            self.retiredOldKey = retiredOldKey
            self.unopenable = unopenable
        }
    }

    /// Re-seals the app's sealed rows and every inbox payload with the key in `newKeyFile` and makes it the current key;
    /// run again after an interruption, it finishes the same rotation. `store` must be opened with `load(keyFile:)`'s vault.
    public static func rotate(store: BotStore, keyFile: String, newKeyFile: String) async throws -> Rotation {
        let missing = try await store.modulesNotOpened()
        guard missing.isEmpty else {
            throw ConfigError("the database holds tables of \(missing.joined(separator: ", ")) that this store was not opened with; "
                + "their sealed rows would not be re-sealed: rotate with the app's own command (pollbot rotate-key)")
        }
        let newKey = try MasterKey.load(from: newKeyFile)
        let next = keyFile + ".next"
        let keyFileExists = exists(keyFile)
        if keyFileExists, try MasterKey.load(from: keyFile).id == newKey.id, !exists(next) {
            // Already the current key: only the retirement of the old one may be left to do.
            return Rotation(rows: 0, inboxRows: 0, retiredOldKey: try await retireUnusedOldKey(store: store, keyFile: keyFile))
        }
        if !exists(next) {
            guard keyFileExists else { throw ConfigError("\(keyFile) does not exist, so there is no key to rotate from") }
            try newKey.write(to: next)
        }
        guard try MasterKey.load(from: next).id == newKey.id else {
            throw ConfigError("\(next) holds another key from an unfinished rotation; finish it with that key, or remove \(next) if no row uses it")
        }
        let done = try await store.resealEverything(from: try load(keyFile: keyFile), to: Vault(current: newKey))
        if keyFileExists {
            let old = keyFile + ".old"
            // Every row now opens with the new key, so an older `.old` is needed by nothing.
            try? FileManager.default.removeItem(atPath: old)
            guard rename(keyFile, old) == 0 else { throw renameFailure() }
        }
        guard rename(next, keyFile) == 0 else { throw renameFailure() }
        let retired = try await retireUnusedOldKey(store: store, keyFile: keyFile)
        return Rotation(rows: done.rows, inboxRows: done.inbox, retiredOldKey: retired, unopenable: done.unopenable)
    }

    /// Deletes `key_file.old` when no stored row was sealed with it; true when it was deleted.
    public static func retireUnusedOldKey(store: BotStore, keyFile: String) async throws -> Bool {
        let old = keyFile + ".old"
        guard exists(old), !exists(keyFile + ".next") else { return false }
        // A store opened without some module's tables cannot see the rows they seal: keep the key.
        guard try await store.modulesNotOpened().isEmpty else { return false }
        let oldID = try MasterKey.load(from: old).id
        guard try await !store.keyIDsInUse().contains(oldID) else { return false }
        try FileManager.default.removeItem(atPath: old)
        return true
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func renameFailure() -> ConfigError {
        ConfigError("keys re-sealed, but renaming the key files failed: \(String(cString: strerror(errno))); run rotate-key again")
    }
}
