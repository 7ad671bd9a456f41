import BotKit

extension Schema {
    /// The daily summary's tables: one P&L snapshot per user, trading day and account, and the users' P&L thresholds.
    public static let summary = Schema(module: "summary", steps: [
        // 1: `day` is MarketCalendar's local day number. A snapshot is written in the commit that queues its summary,
        // and a later summary of the same day (a late one, then the regular one) replaces it. `fired_day` is the day a
        // threshold last fired: it fires at most once per day.
        """
        CREATE TABLE daily_snapshots(
            user_id INTEGER NOT NULL,
            day INTEGER NOT NULL,
            account TEXT NOT NULL,
            realized REAL NOT NULL,
            unrealized REAL NOT NULL,
            total REAL NOT NULL,
            fills INTEGER NOT NULL,
            rejections INTEGER NOT NULL,
            taken_at REAL NOT NULL,
            PRIMARY KEY(user_id, day, account)
        );
        CREATE TABLE pnl_thresholds(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            direction TEXT NOT NULL,
            level REAL NOT NULL,
            created_at REAL NOT NULL,
            fired_day INTEGER,
            UNIQUE(user_id, direction, level)
        );
        """,
    ])
}
