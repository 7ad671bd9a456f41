import BotKit
import Foundation

/// Price alerts in `price_alerts`: armed by /alert, fired by the check job in its run's commit, re-armed by a button.
extension BotStore {
    /// Why an alert could not be armed or re-armed.
    enum AlertRefusal: Error, Equatable {
        case limit(Int)
        case notFound
    }

    /// Arms a new alert unless its user already has `limit` armed; returns its id. `sourceMessageID` is the /alert
    /// message in `chatID` that asked for it (`alert(armedBy:in:)` finds it again).
    func armAlert(userID: Int64, chatID: Int64, account: String, host: String, instrument: Instrument, kind: PriceAlert.Kind,
                  level: Double, direction: PriceAlert.Direction, referencePrice: Double, limit: Int, now: Date,
                  sourceMessageID: Int64? = nil) throws -> Int64 {
        try db.transaction {
            // Counted in the same transaction as the insert, so two quick /alert commands cannot both pass the limit.
            guard try armedCount(of: userID) < limit else { throw AlertRefusal.limit(limit) }
            return try db.query("""
                INSERT INTO price_alerts(user_id, chat_id, account, host, symbol, exchange, kind, level, direction, reference_price, created_at,
                                         source_message_id)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, .integer(userID), .integer(chatID), .text(account), .text(host), .text(instrument.symbol), .text(instrument.exchange),
                       .text(kind.rawValue), .real(level), .text(direction.rawValue), .real(referencePrice),
                       .real(now.timeIntervalSince1970), sourceMessageID.map(SQLValue.integer) ?? .null) { $0.int64(0) }.first ?? 0
        }
    }

    /// How many armed alerts `userID` has.
    func armedCount(of userID: Int64) throws -> Int {
        try db.query("SELECT count(*) FROM price_alerts WHERE user_id = ? AND state = 'armed'", .integer(userID)) { $0.int(0) }.first ?? 0
    }

    /// `userID`'s alerts that are not deleted: armed first, then the most recently fired; at most `limit`.
    func alerts(of userID: Int64, limit: Int = 100) throws -> [PriceAlert] {
        try db.query("""
            SELECT \(Self.alertColumns) FROM price_alerts WHERE user_id = ? AND state != 'deleted'
            ORDER BY state = 'fired', coalesce(fired_at, 0) DESC, id LIMIT ?
            """, .integer(userID), .integer(Int64(limit)), row: Self.alert)
    }

    /// Every armed alert of a user not disabled, for one check cycle.
    func armedAlerts() throws -> [PriceAlert] {
        try db.query("SELECT \(Self.alertColumns) FROM price_alerts WHERE state = 'armed' AND \(Self.notDisabled("user_id")) ORDER BY id",
                     row: Self.alert)
    }

    /// The alert the /alert message `messageID` in `chatID` armed, whatever its state since.
    func alert(armedBy messageID: Int64, in chatID: Int64) throws -> PriceAlert? {
        try db.query("SELECT \(Self.alertColumns) FROM price_alerts WHERE chat_id = ? AND source_message_id = ?",
                     .integer(chatID), .integer(messageID), row: Self.alert).first
    }

    /// The alert `id` of `userID`, whatever its state.
    func alert(_ id: Int64, of userID: Int64) throws -> PriceAlert? {
        try db.query("SELECT \(Self.alertColumns) FROM price_alerts WHERE id = ? AND user_id = ?", .integer(id), .integer(userID),
                     row: Self.alert).first
    }

    /// Deletes `userID`'s alert `id` (armed or fired); false when there is none to delete.
    func deleteAlert(_ id: Int64, of userID: Int64) throws -> Bool {
        try db.run("UPDATE price_alerts SET state = 'deleted' WHERE id = ? AND user_id = ? AND state != 'deleted'",
                   .integer(id), .integer(userID)) > 0
    }

    /// Marks alerts fired at `time` with the price that met each; meant for a job's store work (inside its commit).
    /// Throws when one is no longer armed (deleted meanwhile), so the run's messages are dropped with it and the next
    /// cycle decides again: an alert is never announced after its owner deleted it.
    func markAlertsFired(_ fired: [(id: Int64, price: Double)], at time: Date) throws {
        for alert in fired {
            let changed = try db.run("""
                UPDATE price_alerts SET state = 'fired', fired_at = ?, fired_price = ? WHERE id = ? AND state = 'armed'
                """, .real(time.timeIntervalSince1970), .real(alert.price), .integer(alert.id))
            guard changed == 1 else { throw JobFailure("alert \(alert.id) changed while it was checked; checking again") }
        }
    }

    /// Arms `userID`'s fired alert `id` again from the price `referencePrice` now, unless the user is at `limit`.
    func rearmAlert(_ id: Int64, of userID: Int64, direction: PriceAlert.Direction, referencePrice: Double, limit: Int,
                    now: Date) throws {
        try db.transaction {
            guard try armedCount(of: userID) < limit else { throw AlertRefusal.limit(limit) }
            let changed = try db.run("""
                UPDATE price_alerts SET state = 'armed', direction = ?, reference_price = ?, created_at = ?, fired_at = NULL,
                    fired_price = NULL WHERE id = ? AND user_id = ? AND state = 'fired'
                """, .text(direction.rawValue), .real(referencePrice), .real(now.timeIntervalSince1970), .integer(id), .integer(userID))
            guard changed == 1 else { throw AlertRefusal.notFound }
        }
    }

    static let alertColumns = """
        id, user_id, chat_id, account, host, symbol, exchange, kind, level, direction, reference_price, created_at, state, fired_at, fired_price
        """

    static func alert(_ row: Row) -> PriceAlert {
        PriceAlert(id: row.int64(0), userID: row.int64(1), chatID: row.int64(2), account: row.text(3), host: row.text(4),
                   instrument: Instrument(row.text(5), row.text(6)), kind: PriceAlert.Kind(rawValue: row.text(7)) ?? .crosses,
                   level: row.double(8), direction: PriceAlert.Direction(rawValue: row.text(9)) ?? .above,
                   referencePrice: row.double(10), createdAt: Date(timeIntervalSince1970: row.double(11)),
                   state: PriceAlert.State(rawValue: row.text(12)) ?? .deleted,
                   firedAt: row.isNull(13) ? nil : Date(timeIntervalSince1970: row.double(13)),
                   firedPrice: row.isNull(14) ? nil : row.double(14))
    }
}

/// What one instrument's armed alerts need from a check: the lowest `above` level and the highest `below` level, so a
/// cycle in which no price reached either reads nothing more than these numbers.
struct AlertWatch: Sendable, Equatable {
    var instrument: Instrument
    /// The lowest level among its armed `above` alerts; +infinity when it has none.
    var lowestAbove: Double
    /// The highest level among its armed `below` alerts; -infinity when it has none.
    var highestBelow: Double

    /// True when `price` is a usable quote that meets at least one of the instrument's alerts (`PriceAlert.isMet`'s rule).
    func isMet(by price: Double) -> Bool {
        guard price.isFinite, price > 0 else { return false }
        return price >= lowestAbove || price <= highestBelow
    }
}

/// An alert the check found met: the alert, the price that met it, and its owner's price-alert level.
struct MetAlert: Sendable {
    var alert: PriceAlert
    var price: Double
    var level: NotificationLevel
}

/// The check cycle's reads of `price_alerts`: built so that 20,000 armed alerts cost one aggregate scan of an index
/// when no price moved, and only the met alerts' rows when some did.
extension BotStore {
    /// Every armed alert of a user not disabled, as one `AlertWatch` per host and instrument.
    func alertWatches() throws -> [String: [AlertWatch]] {
        // Named, not left to the planner: without statistics it prefers (state, host) and sorts 20,000 rows to group them.
        // A direction other than 'below' counts as above, as `PriceAlert`'s row decoding reads it.
        let rows = try db.query("""
            SELECT host, symbol, exchange, min(CASE WHEN direction = 'below' THEN NULL ELSE level END),
                max(CASE WHEN direction = 'below' THEN level END)
            FROM price_alerts INDEXED BY price_alerts_check
            WHERE state = 'armed' AND \(Self.notDisabled("user_id")) GROUP BY host, symbol, exchange
            """) { row in
            (row.text(0), AlertWatch(instrument: Instrument(row.text(1), row.text(2)),
                                     lowestAbove: row.isNull(3) ? .infinity : row.double(3),
                                     highestBelow: row.isNull(4) ? -.infinity : row.double(4)))
        }
        return Dictionary(grouping: rows, by: { $0.0 }).mapValues { $0.map { $0.1 } }
    }

    /// The armed alerts on `host` that `prices` meet (each instrument's price once), with each owner's price-alert
    /// level read in the same statement; in id order per instrument.
    func metAlerts(host: String, prices: [(instrument: Instrument, price: Double)]) throws -> [MetAlert] {
        var met: [MetAlert] = []
        for (instrument, price) in prices where price.isFinite && price > 0 {
            // The SQL narrows by the index; `isMet` stays the one rule that decides.
            met += try db.query("""
                SELECT \(Self.alertColumns), (SELECT level FROM notification_levels WHERE user_id = price_alerts.user_id AND kind = ?1)
                FROM price_alerts INDEXED BY price_alerts_check WHERE state = 'armed' AND host = ?2 AND symbol = ?3 AND exchange = ?4
                    AND CASE WHEN direction = 'below' THEN level >= ?5 ELSE level <= ?5 END
                    AND \(Self.notDisabled("user_id")) ORDER BY id
                """, .text(NotificationKind.priceAlerts.rawValue), .text(host), .text(instrument.symbol),
                                  .text(instrument.exchange), .real(price)) { row in
                MetAlert(alert: Self.alert(row), price: price,
                         level: (row.isNull(15) ? nil : NotificationLevel(rawValue: row.text(15))) ?? NotificationKind.priceAlerts.defaultLevel)
            }.filter { $0.alert.isMet(by: price) }
        }
        return met
    }

    /// Up to `limit` armed alerts' owners and accounts on `host` after alert `id`, in id order: the candidates whose key
    /// reads the host's prices, paged so the first usable one costs one short read.
    func alertOwners(host: String, after id: Int64, limit: Int) throws -> [(id: Int64, userID: Int64, account: String)] {
        try db.query("""
            SELECT id, user_id, account FROM price_alerts WHERE state = 'armed' AND host = ? AND id > ?
                AND \(Self.notDisabled("user_id")) ORDER BY id LIMIT ?
            """, .text(host), .integer(id), .integer(Int64(limit))) { (id: $0.int64(0), userID: $0.int64(1), account: $0.text(2)) }
    }
}
