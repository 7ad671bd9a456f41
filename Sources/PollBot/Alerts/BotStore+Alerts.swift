import BotKit
import Foundation

/// Price alerts in `price_alerts`: armed by /alert, fired by the check job in its run's commit, re-armed by a button.
extension BotStore {
    /// Why an alert could not be armed or re-armed.
    enum AlertRefusal: Error, Equatable {
        case limit(Int)
        case notFound
    }

    /// Arms a new alert unless its user already has `limit` armed; returns its id.
    func armAlert(userID: Int64, chatID: Int64, account: String, host: String, instrument: Instrument, kind: PriceAlert.Kind,
                  level: Double, direction: PriceAlert.Direction, referencePrice: Double, limit: Int, now: Date) throws -> Int64 {
        try db.transaction {
            // Counted in the same transaction as the insert, so two quick /alert commands cannot both pass the limit.
            guard try armedCount(of: userID) < limit else { throw AlertRefusal.limit(limit) }
            return try db.query("""
                INSERT INTO price_alerts(user_id, chat_id, account, host, symbol, exchange, kind, level, direction, reference_price, created_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, .integer(userID), .integer(chatID), .text(account), .text(host), .text(instrument.symbol), .text(instrument.exchange),
                       .text(kind.rawValue), .real(level), .text(direction.rawValue), .real(referencePrice),
                       .real(now.timeIntervalSince1970)) { $0.int64(0) }.first ?? 0
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

    private static let alertColumns = """
        id, user_id, chat_id, account, host, symbol, exchange, kind, level, direction, reference_price, created_at, state, fired_at, fired_price
        """

    private static func alert(_ row: Row) -> PriceAlert {
        PriceAlert(id: row.int64(0), userID: row.int64(1), chatID: row.int64(2), account: row.text(3), host: row.text(4),
                   instrument: Instrument(row.text(5), row.text(6)), kind: PriceAlert.Kind(rawValue: row.text(7)) ?? .crosses,
                   level: row.double(8), direction: PriceAlert.Direction(rawValue: row.text(9)) ?? .above,
                   referencePrice: row.double(10), createdAt: Date(timeIntervalSince1970: row.double(11)),
                   state: PriceAlert.State(rawValue: row.text(12)) ?? .deleted,
                   firedAt: row.isNull(13) ? nil : Date(timeIntervalSince1970: row.double(13)),
                   firedPrice: row.isNull(14) ? nil : row.double(14))
    }
}
