import CSQLite
import Foundation

/// A value bound to or read from a SQL statement.
public enum SQLValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
    case null
}

/// A failed SQLite call, with SQLite's message (never a bound value).
public struct SQLiteError: Error, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// One SQLite connection. Not thread-safe: owned by `BotStore`, used only on its thread (from its extensions).
public final class SQLiteDatabase {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    /// For tests: statements starting with a key fail that many more times, as on a full or failing disk.
    var injectedFailures: [String: Int] = [:]
    /// Kept alive as long as the connection: SQLite holds an unretained pointer to it.
    private var walHook: WALHook?

    public init(path: String) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: "\(message) (\(path))")
        }
        handle = db
        sqlite3_busy_timeout(db, 5000)
        try execute("PRAGMA journal_mode=WAL")
        // NORMAL in WAL mode survives a crash or kill of the process; only a
        // power cut may lose the last commits. FULL would fsync every reply.
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
        try execute("PRAGMA cache_size=-1024")  // 1 MB: the working set is small rows
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "exec failed"
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message)
        }
    }

    /// Runs a statement that returns no rows; returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ values: SQLValue...) throws -> Int {
        if !injectedFailures.isEmpty, let key = injectedFailures.keys.first(where: sql.hasPrefix), let left = injectedFailures[key] {
            injectedFailures[key] = left > 1 ? left - 1 : nil
            throw SQLiteError(code: SQLITE_IOERR, message: "disk I/O error (injected by a test)")
        }
        try withStatement(sql, values) { statement in
            let rc = sqlite3_step(statement)
            guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw self.error(rc) }
        }
        return Int(sqlite3_changes(handle))
    }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ values: SQLValue..., row: (Row) throws -> T) throws -> [T] {
        try withStatement(sql, values) { statement in
            var results: [T] = []
            while true {
                let rc = sqlite3_step(statement)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw self.error(rc) }
                results.append(try row(Row(statement: statement)))
            }
            return results
        }
    }

    private func step(_ sql: String) throws {
        try withStatement(sql, []) { statement in
            let rc = sqlite3_step(statement)
            guard rc == SQLITE_DONE else { throw self.error(rc) }
        }
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in one IMMEDIATE transaction: all of it is stored or none.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        // Prepared once and kept, like every other statement: `execute` would parse them again for each transaction.
        try step("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try step("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Turns SQLite's automatic checkpoints off and calls `body` after each commit with the WAL's size in bytes.
    ///
    /// SQLite ran the automatic checkpoint inside whichever commit crossed 1000 pages, so one update in a few hundred
    /// paid for a checkpoint and its fsyncs; `WALCheckpointer` runs them on its own connection instead.
    func onCommit(walBytes body: @escaping @Sendable (Int) -> Void) throws {
        try execute("PRAGMA wal_autocheckpoint=0")
        let pageSize = try query("PRAGMA page_size") { $0.int(0) }.first ?? 4096
        let hook = WALHook { body($0 * pageSize) }
        walHook = hook
        sqlite3_wal_hook(handle, { context, _, _, pages in
            if let context { Unmanaged<WALHook>.fromOpaque(context).takeUnretainedValue().body(Int(pages)) }
            return SQLITE_OK
        }, Unmanaged.passUnretained(hook).toOpaque())
    }

    /// How long a statement waits for a lock held by another connection.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs a checkpoint in `mode` (`SQLITE_CHECKPOINT_PASSIVE`, `..._TRUNCATE`); returns the WAL's frames and how many
    /// of them are now in the database file.
    func checkpoint(_ mode: Int32) throws -> (log: Int, checkpointed: Int) {
        var log: Int32 = 0
        var checkpointed: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, mode, &log, &checkpointed)
        guard rc == SQLITE_OK else { throw error(rc) }
        return (Int(log), Int(checkpointed))
    }

    var userVersion: Int {
        get { (try? query("PRAGMA user_version") { $0.int(0) }.first) ?? 0 }
    }

    private func withStatement<T>(_ sql: String, _ values: [SQLValue], _ body: (OpaquePointer) throws -> T) throws -> T {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let rc: Int32
            switch value {
            case .integer(let number): rc = sqlite3_bind_int64(statement, position, number)
            case .real(let number): rc = sqlite3_bind_double(statement, position, number)
            case .text(let text): rc = sqlite3_bind_text(statement, position, text, -1, csqlite_transient())
            case .blob(let data):
                rc = data.withUnsafeBytes { raw in
                    sqlite3_bind_blob(statement, position, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), csqlite_transient())
                }
            case .null: rc = sqlite3_bind_null(statement, position)
            }
            guard rc == SQLITE_OK else { throw error(rc) }
        }
        return try body(statement)
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        statements[sql] = statement
        return statement
    }

    private func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// The commit hook's closure, boxed so that SQLite can hold a pointer to it.
private final class WALHook {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}

/// The current row of a query.
public struct Row {
    let statement: OpaquePointer

    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: pointer)
    }

    public func blob(_ column: Int32) -> Data {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return Data() }
        return Data(bytes: pointer, count: count)
    }
}
