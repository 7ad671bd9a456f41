import BotKit
import Foundation

extension Schema {
    /// The notifications module's tables: each user's level per kind (a missing row is the kind's default), and what the
    /// order watch last saw of each watched account's orders.
    public static let notifications = Schema(module: "notifications", steps: [
        """
        CREATE TABLE notification_levels(
            user_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            level TEXT NOT NULL,
            PRIMARY KEY(user_id, kind)
        );
        """,
        // 2: the order watch's memory. An account row means its book was seen (a first sight records silently);
        // `linked_at` tells a relinked account (another key, another book) from the one seen. Order rows are exactly
        // the book last read, replaced in the commit that queues the notifications of its changes.
        """
        CREATE TABLE order_watch_accounts(
            user_id INTEGER NOT NULL,
            account TEXT NOT NULL,
            linked_at REAL NOT NULL,
            seen_at REAL NOT NULL,
            PRIMARY KEY(user_id, account)
        );
        CREATE TABLE order_watch_orders(
            user_id INTEGER NOT NULL,
            account TEXT NOT NULL,
            order_id TEXT NOT NULL,
            status TEXT NOT NULL,
            filled REAL NOT NULL,
            PRIMARY KEY(user_id, account, order_id)
        );
        """,
    ])
}

extension BotStore {
    /// The user's level for `kind`: what they set, else the kind's default. Callable inside a job's store work.
    public func notificationLevel(_ kind: NotificationKind, of userID: Int64) throws -> NotificationLevel {
        let stored = try db.query("SELECT level FROM notification_levels WHERE user_id = ? AND kind = ?",
                                  .integer(userID), .text(kind.rawValue)) { $0.text(0) }.first
        return stored.flatMap(NotificationLevel.init(rawValue:)) ?? kind.defaultLevel
    }

    /// Every kind's level for the user, in the order /settings lists them.
    public func notificationLevels(of userID: Int64) throws -> [(NotificationKind, NotificationLevel)] {
        try NotificationKind.allCases.map { ($0, try notificationLevel($0, of: userID)) }
    }

    /// Sets the user's level for `kind`.
    public func setNotificationLevel(_ level: NotificationLevel, for kind: NotificationKind, of userID: Int64) throws {
        try db.run("""
            INSERT INTO notification_levels(user_id, kind, level) VALUES(?, ?, ?)
            ON CONFLICT(user_id, kind) DO UPDATE SET level = excluded.level
            """, .integer(userID), .text(kind.rawValue), .text(level.rawValue))
    }
}
