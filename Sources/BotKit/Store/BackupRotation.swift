import Foundation

/// Backups the bot takes itself into a directory: named by time, the newest N kept, nothing else there ever touched.
public struct BackupRotation: Sendable {
    /// Where the backups go.
    public var directory: String
    /// The start of every name this rotation writes (`pollbot` gives `pollbot-20250102-033000.db`).
    public var prefix: String
    /// How many of its backups to keep; older ones are deleted after a new one is written.
    public var keep: Int

    public init(directory: String, prefix: String, keep: Int) {
        self.directory = directory
        self.prefix = prefix
        self.keep = max(1, keep)
    }

    /// What one rotation did.
    public struct Outcome: Sendable {
        public var path: String
        public var check: DatabaseCheck
        /// The old backups deleted, by file name.
        public var removed: [String]
    }

    /// The file name of a backup taken at `date` (UTC).
    public func fileName(at date: Date) -> String { "\(prefix)-\(DatabaseRestore.stamp(date)).db" }

    /// True for names this rotation writes, and only those: the only files it may delete.
    public func isOwn(_ name: String) -> Bool {
        guard name.hasPrefix(prefix + "-"), name.hasSuffix(".db") else { return false }
        let stamp = Array(name.dropFirst(prefix.count + 1).dropLast(3))
        return stamp.count == 15 && stamp[8] == "-"
            && stamp.enumerated().allSatisfy { index, character in index == 8 || ("0"..."9").contains(character) }
    }

    /// Backs the database up as `fileName(at: now)`, then deletes the oldest of its own backups beyond `keep`.
    public func run(databasePath: String, now: Date) async throws -> Outcome {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BackupError("backup directory \(directory) does not exist; create it (owned by the bot's user, mode 0700)")
        }
        let path = (directory as NSString).appendingPathComponent(fileName(at: now))
        let check = try await SQLiteBackup.copy(databasePath: databasePath, to: path)
        return Outcome(path: path, check: check, removed: try prune())
    }

    /// Deletes this rotation's oldest backups so that `keep` remain; returns the names deleted.
    public func prune() throws -> [String] {
        // The stamp sorts by time, so the names sort oldest first.
        let own = try FileManager.default.contentsOfDirectory(atPath: directory).filter(isOwn).sorted()
        let old = own.dropLast(keep)
        for name in old { try FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name)) }
        return Array(old)
    }
}
