import Foundation

/// The bot's SQLite database: inbox, outbox, chats, and the feature tables.
///
/// An actor on a thread of its own, so that SQLite's blocking calls never
/// hold one of the concurrency pool's two threads; it is the only writer.
public actor BotStore {
    private static let executor = ThreadExecutor(name: "sqlite")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { Self.executor.asUnownedSerialExecutor() }

    let db: SQLiteDatabase
    /// Seals update payloads at rest: a /link message carries an API key until it is handled.
    let vault: Vault?
    /// Where the database lives.
    public nonisolated let path: String

    /// Opens (creating if needed) the database at `path` and applies migrations; with a vault, also the
    /// migrations that re-seal secrets.
    public init(path: String, vault: Vault? = nil) throws {
        self.path = path
        self.vault = vault
        db = try SQLiteDatabase(path: path)
        try Migrations.apply(to: db)
        if let vault { try Self.bindHostsIntoAccountSeals(in: db, vault: vault) }
    }

    /// The schema version after migrations.
    public func schemaVersion() -> Int { db.userVersion }

    func meta(_ key: String) throws -> String? {
        try db.query("SELECT value FROM meta WHERE key = ?", .text(key)) { $0.text(0) }.first
    }

    func setMeta(_ key: String, _ value: String) throws {
        try db.run("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                   .text(key), .text(value))
    }
}
