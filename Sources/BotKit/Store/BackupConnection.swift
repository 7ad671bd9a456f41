import CSQLite
import Foundation

/// A bare SQLite connection for copying and checking whole database files, outside `BotStore`.
///
/// Unlike `SQLiteDatabase` it sets no journal mode: a backup must stay one self-contained file, and a file being
/// checked before a restore must not be changed by opening it. Used only on `BackupWorker`'s thread.
final class BackupConnection {
    let handle: OpaquePointer
    let path: String
    /// The name messages use: a temporary copy is named after the file it was copied from.
    let label: String

    /// Opens `path`; `create` false makes a missing file an error instead of a new empty database.
    init(path: String, create: Bool, label: String? = nil) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0)
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw BackupError("cannot open \(label ?? path): \(message)")
        }
        handle = db
        self.path = path
        self.label = label ?? path
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        guard rc == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "SQLite error \(rc)"
            sqlite3_free(error)
            throw BackupError("\(label): \(message)")
        }
    }

    /// Each row's columns as text (NULL as ""), for small answers such as pragmas and counts.
    func rows(_ sql: String) throws -> [[String]] {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw BackupError("\(label): \(String(cString: sqlite3_errmsg(handle)))") }
        defer { sqlite3_finalize(statement) }
        var result: [[String]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw BackupError("\(label): \(String(cString: sqlite3_errmsg(handle)))") }
            result.append((0..<sqlite3_column_count(statement)).map { column in
                sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
            })
        }
        return result
    }
}

/// A backup or restore that could not be done; the message says why and what was left untouched.
public struct BackupError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Files beside a database and the moves a backup or restore makes, each durable before the next step relies on it.
enum DatabaseFiles {
    /// The side files SQLite keeps next to a database.
    static let sideSuffixes = ["-wal", "-shm", "-journal"]

    /// Creates an empty file at `path` with mode 0600 whatever the umask, failing if anything is there already.
    static func createPrivate(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BackupError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // The umask may have taken bits away from 0600 but can never add any; fchmod makes the mode exact.
        guard fchmod(fd, 0o600) == 0 else { throw BackupError("cannot set mode 0600 on \(path): \(String(cString: strerror(errno)))") }
    }

    /// Flushes a file (or a directory, so a rename in it survives a power cut) to disk.
    static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BackupError("cannot open \(path) to sync: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError("fsync \(path) failed: \(String(cString: strerror(errno)))") }
    }

    /// Renames atomically within one file system and makes the rename durable.
    static func rename(_ from: String, to: String) throws {
        guard Foundation.rename(from, to) == 0 else {
            throw BackupError("cannot rename \(from) to \(to): \(String(cString: strerror(errno)))")
        }
        try sync(directory(of: to))
    }

    /// Removes a file and its side files, ignoring what is not there.
    static func remove(_ path: String) {
        for suffix in [""] + sideSuffixes { unlink(path + suffix) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func directory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// A fresh name beside `target` for work in progress: hidden, unique, and renamed onto `target` only when done.
    static func temporary(beside target: String) -> String {
        let name = (target as NSString).lastPathComponent
        return (directory(of: target) as NSString).appendingPathComponent(".\(name).tmp-\(getpid())-\(UInt32.random(in: .min ... .max))")
    }

    /// The file's size in bytes, 0 when it cannot be read.
    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
