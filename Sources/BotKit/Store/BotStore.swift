import Foundation

/// The bot's SQLite database: the engine's tables (inbox, outbox, chats, users, command log) and the app's.
///
/// An actor on a thread of its own, so that SQLite's blocking calls never
/// hold one of the concurrency pool's two threads; it is the only writer.
/// The app adds its tables with a `Schema` and reaches them from extensions
/// of this actor, which run on the same thread.
public actor BotStore {
    private static let executor = ThreadExecutor(name: "sqlite")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { Self.executor.asUnownedSerialExecutor() }

    /// The connection; only for this actor's extensions (they run on its thread).
    public let db: SQLiteDatabase
    /// Seals update payloads at rest: a message may carry a secret until it is handled.
    let vault: Vault?
    /// The app's rows sealed with the master key, re-sealed with the inbox when the key rotates.
    let sealedRows: [any SealedRows]
    /// Where the database lives.
    public nonisolated let path: String

    /// Wakes the job scheduler when a job is scheduled (`BotStore+Jobs.swift`).
    let jobWake = JobWake()

    /// The modules this store was opened with (the engine's and `schemas`).
    let modules: Set<String>

    /// Checkpoints the WAL on its own thread and connection, so that no commit on the update path runs one.
    public nonisolated let checkpointer: WALCheckpointer

    /// The users an operator disabled, kept in memory so that the access check of each update needs no store call.
    nonisolated let disabledUsers: DisabledUsers

    /// Opens (creating if needed) the database at `path` and applies the engine's schema, then `schemas`.
    /// `sealedRows` are the app's rows sealed with the master key: a key rotation re-seals them with the inbox.
    /// `checkpoints` says when the WAL is checkpointed (`WALCheckpointer`).
    public init(path: String, vault: Vault? = nil, schemas: [Schema] = [], sealedRows: [any SealedRows] = [],
                checkpoints: WALCheckpointer.Policy = .init()) throws {
        self.path = path
        self.vault = vault
        self.sealedRows = sealedRows
        modules = Set(([.botKit] + schemas).map(\.module))
        let db = try SQLiteDatabase(path: path)
        try Migrations.apply([.botKit] + schemas, to: db)
        let checkpointer = WALCheckpointer(path: path, policy: checkpoints)
        do {
            try db.onCommit { checkpointer.noteCommit(walBytes: $0) }
        } catch {
            checkpointer.stop()
            throw error
        }
        self.db = db
        self.checkpointer = checkpointer
        do {
            disabledUsers = DisabledUsers()
            try disabledUsers.reload(from: db)
        } catch {
            checkpointer.stop()
            throw error
        }
    }

    deinit { checkpointer.stop() }

    /// Modules whose tables are in the database but which this store was not opened with: their sealed rows are
    /// unknown here, so no master key may be rotated or retired through this store.
    public func modulesNotOpened() throws -> [String] {
        try db.query("SELECT module FROM schema_versions ORDER BY module") { $0.text(0) }.filter { !modules.contains($0) }
    }

    /// The version of each module's tables after migrations.
    public func schemaVersion(of module: String = Schema.botKit.module) throws -> Int {
        try Migrations.version(of: module, in: db)
    }

    /// A small setting kept in the database.
    public func meta(_ key: String) throws -> String? {
        try db.query("SELECT value FROM meta WHERE key = ?", .text(key)) { $0.text(0) }.first
    }

    /// Stores a small setting.
    public func setMeta(_ key: String, _ value: String) throws {
        try db.run("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   .text(key), .text(value))
    }
}
