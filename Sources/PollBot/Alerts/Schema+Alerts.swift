import BotKit

extension Schema {
    /// Price alerts: one row per alert, kept after it fires (to re-arm it) or is deleted (marked, so an old button finds it gone).
    public static let alerts = Schema(module: "alerts", steps: [
        // 1: `direction` is the side the price must reach (above/below); for `crosses` it is fixed at arming from the
        // LTP then, so a check needs no price history. `host` groups a cycle's multiquotes calls.
        """
        CREATE TABLE price_alerts(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            account TEXT NOT NULL,
            host TEXT NOT NULL,
            symbol TEXT NOT NULL,
            exchange TEXT NOT NULL,
            kind TEXT NOT NULL,
            level REAL NOT NULL,
            direction TEXT NOT NULL,
            reference_price REAL NOT NULL,
            created_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'armed',
            fired_at REAL,
            fired_price REAL
        );
        CREATE INDEX price_alerts_armed ON price_alerts(state, host);
        CREATE INDEX price_alerts_user ON price_alerts(user_id, state);
        """,
        // 2: the check cycle's index. Partial (armed rows only) and covering what the cycle reads per instrument, so the
        // per-instrument thresholds come from the index alone and a moved price finds its alerts by seeking.
        """
        CREATE INDEX price_alerts_check ON price_alerts(host, symbol, exchange, direction, level, user_id) WHERE state = 'armed';
        """,
        // 3: the /alert message that armed it, so a replay of that message after a kill finds its alert instead of
        // judging the level against a price that has moved since (and refusing an alert that is in fact armed).
        """
        ALTER TABLE price_alerts ADD COLUMN source_message_id INTEGER;
        CREATE UNIQUE INDEX price_alerts_source ON price_alerts(chat_id, source_message_id) WHERE source_message_id IS NOT NULL;
        """,
    ])
}
