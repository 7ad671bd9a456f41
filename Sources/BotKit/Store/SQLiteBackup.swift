import CSQLite
import Foundation

/// Online backups of a live database with SQLite's backup API, while the bot keeps writing.
///
/// The copy reads through a connection of its own inside one read transaction, so in WAL mode it sees one consistent
/// snapshot and never blocks the bot's writer; it copies in steps with short pauses so the disk is shared. The result
/// is written to a hidden 0600 file beside the target, switched to a single file (no -wal), checked, synced and only
/// then renamed onto the target. Sealed columns are copied as they are: a backup is useless without the master key.
public enum SQLiteBackup {
    /// Copies the database at `databasePath` to `out` and returns what the copy holds. Refuses an existing `out` unless
    /// `force`; `pagesPerStep` and `pause` set the pace (a test slows it down to write in between).
    public static func copy(databasePath: String, to out: String, force: Bool = false, pagesPerStep: Int32 = 256,
                            pause: Duration = .milliseconds(2)) async throws -> DatabaseCheck {
        guard pagesPerStep > 0 else { throw BackupError("pages per step must be 1 or more") }
        guard DatabaseFiles.exists(databasePath) else { throw BackupError("there is no database at \(databasePath)") }
        let target = URL(fileURLWithPath: out).standardizedFileURL.path
        let source = URL(fileURLWithPath: databasePath).standardizedFileURL.path
        guard target != source, !DatabaseFiles.sideSuffixes.contains(where: { source + $0 == target }) else {
            throw BackupError("\(out) is the database itself; write the backup elsewhere")
        }
        if !force, DatabaseFiles.exists(out) { throw BackupError("\(out) already exists; choose another name or pass --force") }
        return try await BackupWorker.shared.copy(source: databasePath, target: out, pagesPerStep: pagesPerStep, pause: pause)
    }

    /// Checks a database file without changing it: integrity, schema versions, rows per table.
    public static func check(path: String) async throws -> DatabaseCheck {
        guard DatabaseFiles.exists(path) else { throw BackupError("there is no file at \(path)") }
        return try await BackupWorker.shared.check(path: path)
    }
}

/// Runs backups and checks on a thread of their own: a backup step is a blocking SQLite call that must not hold one
/// of the concurrency pool's threads (or the store's, which answers the bot).
actor BackupWorker {
    static let shared = BackupWorker()
    private static let executor = ThreadExecutor(name: "sqlite-backup")
    nonisolated var unownedExecutor: UnownedSerialExecutor { Self.executor.asUnownedSerialExecutor() }

    func copy(source: String, target: String, pagesPerStep: Int32, pause: Duration) async throws -> DatabaseCheck {
        let temporary = DatabaseFiles.temporary(beside: target)
        try DatabaseFiles.createPrivate(temporary)
        do {
            let check = try await copy(source: source, into: temporary, pagesPerStep: pagesPerStep, pause: pause)
            try DatabaseFiles.sync(temporary)
            try DatabaseFiles.rename(temporary, to: target)
            return check
        } catch {
            DatabaseFiles.remove(temporary)
            throw error
        }
    }

    func check(path: String) throws -> DatabaseCheck {
        try DatabaseCheck.run(on: BackupConnection(path: path, create: false))
    }

    private func copy(source: String, into temporary: String, pagesPerStep: Int32, pause: Duration) async throws -> DatabaseCheck {
        let from = try BackupConnection(path: source, create: false)
        let to = try BackupConnection(path: temporary, create: false)
        // One read transaction across every step: the copy is one snapshot, and in WAL mode a reader never blocks the
        // bot's writer (without it, each write by the bot would restart the copy from the first page).
        try from.execute("BEGIN")
        defer { try? from.execute("COMMIT") }
        _ = try from.rows("SELECT count(*) FROM sqlite_master")
        guard let backup = sqlite3_backup_init(to.handle, "main", from.handle, "main") else {
            throw BackupError("cannot start the backup: \(String(cString: sqlite3_errmsg(to.handle)))")
        }
        var rc = SQLITE_OK
        do {
            while true {
                rc = sqlite3_backup_step(backup, pagesPerStep)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED else { break }
                try await Task.sleep(for: pause)
            }
        } catch {
            sqlite3_backup_finish(backup)
            throw error
        }
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw BackupError("the backup stopped: \(String(cString: sqlite3_errstr(rc == SQLITE_DONE ? finish : rc)))")
        }
        // The copied header says WAL; a backup is one file that needs no -wal beside it.
        try to.execute("PRAGMA journal_mode=DELETE")
        return try DatabaseCheck.run(on: to)
    }
}
