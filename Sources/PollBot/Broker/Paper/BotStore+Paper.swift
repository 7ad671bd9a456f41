import BotKit
import Foundation

/// The paper broker's books in the `paper_*` tables.
extension BotStore {
    /// `userID`'s stored books, or nil when the user has none yet.
    func paperBooks(of userID: Int64, market: PaperMarket) throws -> PaperLedger? {
        let user = SQLValue.integer(userID)
        let accounts = try db.query("SELECT cash, session, next_order_number, analyze, seeded_after_close FROM paper_accounts WHERE user_id = ?", user) { row in
            var books = PaperLedger(market: market, session: row.int(1))
            books.cash = row.double(0)
            books.nextOrderNumber = row.int(2)
            books.analyze = row.int(3) != 0
            books.seededAfterClose = row.int(4) != 0
            return books
        }
        guard var books = accounts.first else { return nil }
        books.positions = try db.query("""
            SELECT symbol, exchange, product, quantity, average_price, realized FROM paper_positions WHERE user_id = ? ORDER BY seq
            """, user) {
            PaperLedger.OpenPosition(instrument: Instrument($0.text(0), $0.text(1)), product: $0.text(2), quantity: $0.double(3),
                                     averagePrice: $0.double(4), realized: $0.double(5))
        }
        books.holdings = try db.query("SELECT symbol, exchange, quantity, average_price FROM paper_holdings WHERE user_id = ? ORDER BY seq", user) {
            PaperLedger.HeldStock(instrument: Instrument($0.text(0), $0.text(1)), quantity: $0.double(2), averagePrice: $0.double(3))
        }
        books.orders = try db.query("""
            SELECT action, symbol, exchange, order_id, product, quantity, price, price_type, status, trigger_price, timestamp
            FROM paper_orders WHERE user_id = ? ORDER BY seq
            """, user) {
            Order(action: $0.text(0), symbol: $0.text(1), exchange: $0.text(2), orderID: $0.text(3), product: $0.text(4), quantity: $0.double(5),
                  price: $0.double(6), priceType: $0.text(7), status: $0.text(8), triggerPrice: $0.double(9), timestamp: $0.text(10))
        }
        books.trades = try db.query("""
            SELECT action, symbol, exchange, order_id, product, quantity, average_price, timestamp FROM paper_trades WHERE user_id = ? ORDER BY seq
            """, user) {
            Trade(action: $0.text(0), symbol: $0.text(1), exchange: $0.text(2), orderID: $0.text(3), product: $0.text(4), quantity: $0.double(5),
                  averagePrice: $0.double(6), timestamp: $0.text(7))
        }
        return books
    }

    /// Replaces `userID`'s stored books with `books` in one transaction: all of the change is stored, or none.
    /// The whole set is rewritten because a paper day holds tens of rows, and a rewrite cannot leave a stale one behind.
    func savePaperBooks(_ books: PaperLedger, of userID: Int64) throws {
        let user = SQLValue.integer(userID)
        try db.transaction {
            for table in ["paper_positions", "paper_holdings", "paper_orders", "paper_trades"] {
                try db.run("DELETE FROM \(table) WHERE user_id = ?", user)
            }
            try db.run("""
                INSERT INTO paper_accounts(user_id, cash, session, next_order_number, analyze, seeded_after_close) VALUES(?, ?, ?, ?, ?, ?)
                ON CONFLICT(user_id) DO UPDATE SET cash = excluded.cash, session = excluded.session,
                    next_order_number = excluded.next_order_number, analyze = excluded.analyze,
                    seeded_after_close = excluded.seeded_after_close
                """, user, .real(books.cash), .integer(Int64(books.session)), .integer(Int64(books.nextOrderNumber)),
                .integer(books.analyze ? 1 : 0), .integer(books.seededAfterClose ? 1 : 0))
            for (seq, position) in books.positions.enumerated() {
                try db.run("INSERT INTO paper_positions VALUES(?, ?, ?, ?, ?, ?, ?, ?)", user, .integer(Int64(seq)),
                           .text(position.instrument.symbol), .text(position.instrument.exchange), .text(position.product),
                           .real(position.quantity), .real(position.averagePrice), .real(position.realized))
            }
            for (seq, held) in books.holdings.enumerated() {
                try db.run("INSERT INTO paper_holdings VALUES(?, ?, ?, ?, ?, ?)", user, .integer(Int64(seq)), .text(held.instrument.symbol),
                           .text(held.instrument.exchange), .real(held.quantity), .real(held.averagePrice))
            }
            for (seq, order) in books.orders.enumerated() {
                try db.run("INSERT INTO paper_orders VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", user, .integer(Int64(seq)),
                           .text(order.orderID), .text(order.action), .text(order.symbol), .text(order.exchange), .text(order.product),
                           .real(order.quantity), .real(order.price), .text(order.priceType), .text(order.status),
                           .real(order.triggerPrice), .text(order.timestamp))
            }
            for (seq, trade) in books.trades.enumerated() {
                try db.run("INSERT INTO paper_trades VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", user, .integer(Int64(seq)), .text(trade.orderID),
                           .text(trade.action), .text(trade.symbol), .text(trade.exchange), .text(trade.product),
                           .real(trade.quantity), .real(trade.averagePrice), .text(trade.timestamp))
            }
        }
    }
}
