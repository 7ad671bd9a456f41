import BotKit
import Foundation

extension Schema {
    /// Broadcasts an admin previewed: a row per preview, confirmed at most once.
    public static let broadcast = Schema(module: "broadcast", steps: [
        """
        CREATE TABLE broadcasts(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            admin_id INTEGER NOT NULL,
            html TEXT NOT NULL,
            created_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
        );
        """,
    ])
}

extension BotStore {
    /// Stores a previewed broadcast and returns its id.
    func saveBroadcast(html: String, adminID: Int64, now: Date) throws -> Int64 {
        try db.run("INSERT INTO broadcasts(admin_id, html, created_at) VALUES(?, ?, ?)",
                   .integer(adminID), .text(html), .real(now.timeIntervalSince1970))
        return try db.query("SELECT last_insert_rowid()") { $0.int64(0) }.first ?? 0
    }

    /// Marks the admin's pending broadcast sent (or cancelled) and returns its text; nil when it is gone, already
    /// decided, or older than `maxAge`. One IMMEDIATE transaction, so two presses cannot both claim it; with `progress`
    /// the broadcast's job is scheduled in the same transaction, so a claimed broadcast always goes out.
    func claimBroadcast(_ id: Int64, adminID: Int64, maxAge: TimeInterval, now: Date,
                        progress: BroadcastJob.Parameters? = nil) throws -> String? {
        try db.transaction {
            let html = try db.query("""
                SELECT html FROM broadcasts WHERE id = ? AND admin_id = ? AND state = 'pending' AND created_at >= ?
                """, .integer(id), .integer(adminID), .real(now.timeIntervalSince1970 - maxAge)) { $0.text(0) }.first
            guard let html else { return nil }
            try db.run("UPDATE broadcasts SET state = ? WHERE id = ?", .text(progress == nil ? "cancelled" : "sent"), .integer(id))
            if let progress {
                try scheduleJob(BroadcastJob.self, key: "\(id)", parameters: progress,
                                schedule: .every(seconds: BroadcastJob.interval), now: now)
            }
            return html
        }
    }

    /// The text of broadcast `id`, whatever its state.
    func broadcastHTML(_ id: Int64) throws -> String? {
        try db.query("SELECT html FROM broadcasts WHERE id = ?", .integer(id)) { $0.text(0) }.first
    }

    /// Users the bot knows, not disabled, whose private chat has not blocked it, except `excluding`, with their
    /// announcements level.
    func broadcastRecipients(excluding: Int64) throws -> [(userID: Int64, level: NotificationLevel)] {
        let ids = try db.query("""
            SELECT u.user_id FROM users u LEFT JOIN chats c ON c.chat_id = u.user_id
            WHERE COALESCE(c.active, 1) = 1 AND u.disabled_at IS NULL AND u.user_id != ? ORDER BY u.user_id
            """, .integer(excluding)) { $0.int64(0) }
        return try ids.map { ($0, try notificationLevel(.announcements, of: $0)) }
    }
}
