/// The schema, one step per version; `PRAGMA user_version` records how far a database is.
///
/// Append new steps; never edit a released one.
enum Migrations {
    static let steps: [String] = [
        // 1: the durable inbox and outbox, chats, and small settings.
        """
        CREATE TABLE inbox(
            update_id INTEGER PRIMARY KEY,
            chat_id INTEGER,
            payload BLOB NOT NULL,
            received_at REAL NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,   -- 0 pending, 1 handled, 2 undecodable
            handled_at REAL
        );
        CREATE INDEX inbox_pending ON inbox(update_id) WHERE status = 0;
        CREATE TABLE outbox(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id INTEGER NOT NULL,
            update_id INTEGER,
            seq INTEGER NOT NULL,
            method TEXT NOT NULL,
            payload BLOB NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            UNIQUE(update_id, seq)
        );
        CREATE TABLE chats(
            chat_id INTEGER PRIMARY KEY,
            active INTEGER NOT NULL DEFAULT 1,
            migrated_to INTEGER,
            updated_at REAL NOT NULL
        );
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
        // 2: users, their linked broker accounts (keys sealed by the vault), and the command log.
        """
        CREATE TABLE users(
            user_id INTEGER PRIMARY KEY,
            username TEXT,
            first_name TEXT,
            active_account TEXT,
            first_seen REAL NOT NULL,
            last_active REAL NOT NULL
        );
        CREATE TABLE accounts(
            user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            host TEXT NOT NULL,
            sealed_key BLOB NOT NULL,
            key_id TEXT NOT NULL,
            key_hint TEXT NOT NULL,
            linked_at REAL NOT NULL,
            PRIMARY KEY(user_id, name)
        );
        CREATE TABLE command_log(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER,
            chat_id INTEGER,
            command TEXT NOT NULL,
            arguments TEXT NOT NULL,
            started_at REAL NOT NULL,
            latency_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            error_id TEXT
        );
        CREATE INDEX command_log_started ON command_log(started_at);
        """,
        // 3: poisoned updates: how often a handler started on each update, and why one was given up (status 3, failed).
        """
        ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE inbox ADD COLUMN error_id TEXT;
        ALTER TABLE inbox ADD COLUMN failure TEXT;
        CREATE INDEX inbox_failed ON inbox(update_id) WHERE status = 3;
        """,
    ]

    /// Applies every step above the database's version, each in its own transaction.
    static func apply(to db: SQLiteDatabase) throws {
        let current = db.userVersion
        guard current <= steps.count else {
            throw SQLiteError(code: 0, message: "database schema version \(current) is newer than this pollbot (\(steps.count)); upgrade pollbot")
        }
        for (index, sql) in steps.enumerated() where index + 1 > current {
            try db.transaction {
                try db.execute(sql)
                try db.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
