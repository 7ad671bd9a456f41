import Foundation

/// What a restore put in place and where the database it replaced was kept.
public struct RestoreReport: Sendable, Equatable {
    /// The restored database, as checked before it replaced anything.
    public var check: DatabaseCheck
    /// `<path>.before-restore-<time>`, or nil when there was no database to keep.
    public var keptPrevious: String?
}

/// Puts a backup in place of a stopped bot's database, checked first and swapped in with one rename.
public enum DatabaseRestore {
    /// Restores `backup` as the database at `databasePath` for a binary with the engine's tables and `schemas`.
    ///
    /// Refuses while a bot holds the instance lock (`BotStartupError.alreadyRunning`) and refuses a file that fails
    /// `integrity_check`, is not a bot's database, or is newer than this binary (`BackupError`), replacing nothing.
    /// The old database and its side files are kept as `<path>.before-restore-<time>`; the new one is mode 0600.
    public static func restore(from backup: String, to databasePath: String, schemas: [Schema],
                               now: Date = Date()) async throws -> RestoreReport {
        let lock = try InstanceLock(databasePath: databasePath)
        defer { lock.release() }
        guard DatabaseFiles.exists(backup) else { throw BackupError("there is no backup at \(backup)") }
        guard URL(fileURLWithPath: backup).standardizedFileURL.path != URL(fileURLWithPath: databasePath).standardizedFileURL.path else {
            throw BackupError("\(backup) is the database itself")
        }
        return try await BackupWorker.shared.restore(from: backup, to: databasePath, schemas: schemas, stamp: stamp(now))
    }

    /// `20250102-033000` in UTC: sorts by time and never repeats across a daylight-saving change.
    public static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}

extension BackupWorker {
    func restore(from backup: String, to databasePath: String, schemas: [Schema], stamp: String) throws -> RestoreReport {
        let temporary = DatabaseFiles.temporary(beside: databasePath)
        try DatabaseFiles.createPrivate(temporary)
        let check: DatabaseCheck
        do {
            try Self.copyBytes(from: backup, to: temporary)
            // A database copied while it ran keeps its newest transactions in a -wal (or an unfinished one in a
            // -journal) beside it: copied along, SQLite folds them in (or rolls back) when the copy is opened.
            let sides = ["-wal", "-journal"].filter { DatabaseFiles.size(backup + $0) > 0 }
            for suffix in sides {
                try DatabaseFiles.createPrivate(temporary + suffix)
                try Self.copyBytes(from: backup + suffix, to: temporary + suffix)
            }
            // The copy is what gets checked, so what is renamed into place is exactly what passed.
            let connection = try BackupConnection(path: temporary, create: false, label: backup)
            if !sides.isEmpty { try connection.execute("PRAGMA journal_mode=DELETE") }
            check = try DatabaseCheck.run(on: connection)
            try check.requireCompatible(with: schemas, path: backup)
            DatabaseFiles.remove(temporary + "-journal")
            for suffix in DatabaseFiles.sideSuffixes { unlink(temporary + suffix) }
            try DatabaseFiles.sync(temporary)
        } catch {
            DatabaseFiles.remove(temporary)
            throw error
        }
        var kept: String?
        if DatabaseFiles.exists(databasePath) {
            let previous = "\(databasePath).before-restore-\(stamp)"
            // Folds a crash's -wal into the old file where it can; the side files move with it either way, so the
            // kept copy opens with everything it had.
            if let old = try? BackupConnection(path: databasePath, create: false) { try? old.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
            for suffix in [""] + DatabaseFiles.sideSuffixes where DatabaseFiles.exists(databasePath + suffix) {
                try DatabaseFiles.rename(databasePath + suffix, to: previous + suffix)
            }
            kept = previous
        }
        // A -wal or -shm without its database would be read as part of the restored one.
        for suffix in DatabaseFiles.sideSuffixes { unlink(databasePath + suffix) }
        try DatabaseFiles.rename(temporary, to: databasePath)
        return RestoreReport(check: check, keptPrevious: kept)
    }

    /// Copies in 1 MB pieces into the already created (0600) `target`.
    private static func copyBytes(from source: String, to target: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw BackupError("cannot read \(source)") }
        defer { try? input.close() }
        guard let output = FileHandle(forWritingAtPath: target) else { throw BackupError("cannot write \(target)") }
        defer { try? output.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
        }
    }
}
