/// One module's tables: its name and its steps, one per version.
///
/// The engine and the app each own a schema and its version (kept in
/// `schema_versions`); append new steps, never edit a released one.
public struct Schema: Sendable {
    public var module: String
    public var steps: [String]
    /// This module's version in a database from before per-module versions, given its `PRAGMA user_version`.
    public var legacyVersion: @Sendable (Int) -> Int

    public init(module: String, steps: [String], legacyVersion: @escaping @Sendable (Int) -> Int = { _ in 0 }) {
        self.module = module
        self.steps = steps
        self.legacyVersion = legacyVersion
    }
}

extension Schema {
    /// The engine's tables: inbox, outbox, chats, meta, users (and who is disabled), command log, conversations, jobs,
    /// delivery groups.
    public static let botKit = Schema(module: "botkit", steps: [
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
        // 2: users and the command log.
        """
        CREATE TABLE users(
            user_id INTEGER PRIMARY KEY,
            username TEXT,
            first_name TEXT,
            active_account TEXT,
            first_seen REAL NOT NULL,
            last_active REAL NOT NULL
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
        // 4: open conversations, one per user in chat; data is JSON, not sealed (see BotStore+Conversations.swift).
        """
        CREATE TABLE conversations(
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            state TEXT NOT NULL,
            data TEXT NOT NULL,
            run TEXT NOT NULL,                 -- a token per start, in its buttons: an older run's button never answers it
            started_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            PRIMARY KEY(chat_id, user_id)
        );
        CREATE INDEX conversations_expiry ON conversations(expires_at);
        """,
        // 5: how conversations ended, counted per day and conversation (one row a day each: no retention needed).
        """
        CREATE TABLE conversation_stats(
            day TEXT NOT NULL,                 -- UTC date, YYYY-MM-DD
            name TEXT NOT NULL,
            started INTEGER NOT NULL DEFAULT 0,
            completed INTEGER NOT NULL DEFAULT 0,
            cancelled INTEGER NOT NULL DEFAULT 0,
            timed_out INTEGER NOT NULL DEFAULT 0,
            replaced INTEGER NOT NULL DEFAULT 0,   -- a new start took its place before it ended
            abandoned INTEGER NOT NULL DEFAULT 0,  -- could not continue after an upgrade
            PRIMARY KEY(day, name)
        );
        """,
        // 6: durable jobs (BotKit/Jobs): one row per kind and key; a run's outcome commits with its outbox rows.
        """
        CREATE TABLE jobs(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            parameters TEXT NOT NULL,              -- JSON of the kind's Parameters, the state it keeps between runs
            schedule TEXT NOT NULL,                -- JSON of JobSchedule
            next_run_at REAL NOT NULL,
            last_run_at REAL,
            failures INTEGER NOT NULL DEFAULT 0,   -- consecutive; a successful run resets it
            last_error TEXT,
            state TEXT NOT NULL DEFAULT 'active',  -- active, or done (a one-off that ran, a job that said it finished)
            revision INTEGER NOT NULL DEFAULT 1,   -- bumped by each schedule: a run of an older revision commits nothing
            created_at REAL NOT NULL,
            UNIQUE(kind, key)
        );
        CREATE INDEX jobs_due ON jobs(next_run_at) WHERE state = 'active';
        """,
        // 7: delivery groups: outbox rows an app follows as one (an announcement to many chats), and how each ended;
        // kept after the row leaves the outbox, so the counts survive a restart.
        """
        CREATE TABLE delivery_items(
            outbox_id INTEGER PRIMARY KEY,
            group_name TEXT NOT NULL,
            outcome TEXT                           -- NULL while queued; sent, blocked, failed
        );
        CREATE INDEX delivery_items_group ON delivery_items(group_name);
        """,
        // 8: users an operator disabled (`pollbot users --disable`): refused like strangers, their jobs' messages skipped.
        """
        ALTER TABLE users ADD COLUMN disabled_at REAL;
        CREATE INDEX command_log_user ON command_log(user_id, started_at);
        """,
    ], legacyVersion: { min($0, 3) })
}

/// Applies schemas: each module's steps above its recorded version, each step in its own transaction.
enum Migrations {
    /// How many steps the single list of steps had before per-module versions.
    static let legacySteps = 3
    /// The user_version of a database with per-module versions.
    static let perModuleMarker = 1000

    static func apply(_ schemas: [Schema], to db: SQLiteDatabase) throws {
        try db.transaction {
            let known = try db.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'") { $0.int(0) }
            guard known.first == 0 else { return }
            // A database from before per-module versions counted one list of steps in user_version.
            let legacy = db.userVersion
            guard legacy <= legacySteps else {
                throw SQLiteError(code: 0, message: "database schema version \(legacy) is newer than this pollbot (\(legacySteps)); upgrade pollbot")
            }
            try db.execute("CREATE TABLE schema_versions(module TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            // Past every step count an older pollbot knows: it refuses the database by name instead of failing on it.
            try db.execute("PRAGMA user_version = \(perModuleMarker)")
            guard legacy > 0 else { return }
            for schema in schemas {
                try db.run("INSERT INTO schema_versions(module, version) VALUES(?, ?)", .text(schema.module),
                           .integer(Int64(schema.legacyVersion(legacy))))
            }
        }
        for schema in schemas {
            let current = try version(of: schema.module, in: db)
            guard current <= schema.steps.count else {
                throw SQLiteError(code: 0, message: "the \(schema.module) tables are at version \(current), newer than this pollbot (\(schema.steps.count)); upgrade pollbot")
            }
            for (index, sql) in schema.steps.enumerated() where index + 1 > current {
                try db.transaction {
                    try db.execute(sql)
                    try db.run("INSERT INTO schema_versions(module, version) VALUES(?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version",
                               .text(schema.module), .integer(Int64(index + 1)))
                }
            }
        }
    }

    /// The version of `module` in `db`, 0 when it has none.
    static func version(of module: String, in db: SQLiteDatabase) throws -> Int {
        try db.query("SELECT version FROM schema_versions WHERE module = ?", .text(module)) { $0.int(0) }.first ?? 0
    }
}
