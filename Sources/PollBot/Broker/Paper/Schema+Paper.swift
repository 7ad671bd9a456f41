import BotKit

extension Schema {
    /// The paper broker's books, one set per user: cash, session and counters; positions, holdings, orders, trades.
    public static let paper = Schema(module: "paper", steps: [
        // 1: the books. `seq` keeps each list in the order the ledger holds it. No reference to `users`: a paper
        // account is made on a user's first read, before the update that brought the user is stored.
        """
        CREATE TABLE paper_accounts(
            user_id INTEGER PRIMARY KEY,
            cash REAL NOT NULL,
            session INTEGER NOT NULL,
            next_order_number INTEGER NOT NULL,
            analyze INTEGER NOT NULL,
            seeded_after_close INTEGER NOT NULL
        );
        CREATE TABLE paper_positions(
            user_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            symbol TEXT NOT NULL, exchange TEXT NOT NULL, product TEXT NOT NULL,
            quantity REAL NOT NULL, average_price REAL NOT NULL, realized REAL NOT NULL,
            PRIMARY KEY(user_id, seq)
        );
        CREATE TABLE paper_holdings(
            user_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            symbol TEXT NOT NULL, exchange TEXT NOT NULL, quantity REAL NOT NULL, average_price REAL NOT NULL,
            PRIMARY KEY(user_id, seq)
        );
        CREATE TABLE paper_orders(
            user_id INTEGER NOT NULL, seq INTEGER NOT NULL, order_id TEXT NOT NULL,
            action TEXT NOT NULL, symbol TEXT NOT NULL, exchange TEXT NOT NULL, product TEXT NOT NULL,
            quantity REAL NOT NULL, price REAL NOT NULL, price_type TEXT NOT NULL, status TEXT NOT NULL,
            trigger_price REAL NOT NULL, timestamp TEXT NOT NULL,
            PRIMARY KEY(user_id, seq)
        );
        CREATE TABLE paper_trades(
            user_id INTEGER NOT NULL, seq INTEGER NOT NULL, order_id TEXT NOT NULL,
            action TEXT NOT NULL, symbol TEXT NOT NULL, exchange TEXT NOT NULL, product TEXT NOT NULL,
            quantity REAL NOT NULL, average_price REAL NOT NULL, timestamp TEXT NOT NULL,
            PRIMARY KEY(user_id, seq)
        );
        """,
    ])
}
