import BotKit
import Foundation

/// Daily snapshots and P&L thresholds (`Schema.summary`).
extension BotStore {
    /// Why a threshold could not be added.
    enum ThresholdRefusal: Error, Equatable {
        case limit(Int)
        case duplicate
    }

    /// Users whose accounts the daily jobs read: with the paper broker every user with paper books, else every user
    /// with a linked account; never a disabled user.
    func summaryUsers(paper: Bool) throws -> [Int64] {
        let sql = paper ? "SELECT user_id FROM paper_accounts WHERE \(Self.notDisabled("user_id")) ORDER BY user_id"
            : "SELECT DISTINCT user_id FROM accounts WHERE \(Self.notDisabled("user_id")) ORDER BY user_id"
        return try db.query(sql) { $0.int64(0) }
    }

    /// Stores `snapshots`, replacing any of the same user, day and account; meant for a job's store work.
    func saveSnapshots(_ snapshots: [DailySnapshot], at time: Date) throws {
        for snapshot in snapshots {
            try db.run("""
                INSERT OR REPLACE INTO daily_snapshots(user_id, day, account, realized, unrealized, total, fills, rejections, taken_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, .integer(snapshot.userID), .integer(Int64(snapshot.day)), .text(snapshot.account), .real(snapshot.realized),
                       .real(snapshot.unrealized), .real(snapshot.total), .integer(Int64(snapshot.fills)),
                       .integer(Int64(snapshot.rejections)), .real(time.timeIntervalSince1970))
        }
    }

    /// `userID`'s snapshots from day `first` on, oldest first.
    func snapshots(of userID: Int64, from first: Int) throws -> [DailySnapshot] {
        try db.query("""
            SELECT day, account, realized, unrealized, fills, rejections FROM daily_snapshots
            WHERE user_id = ? AND day >= ? ORDER BY day, account
            """, .integer(userID), .integer(Int64(first))) { row in
            DailySnapshot(userID: userID, day: row.int(0), account: row.text(1), realized: row.double(2), unrealized: row.double(3),
                          fills: row.int(4), rejections: row.int(5))
        }
    }

    /// Adds a threshold unless the user already has `limit` or this very one; returns its id.
    func addThreshold(userID: Int64, chatID: Int64, direction: PnLThreshold.Direction, level: Double, limit: Int,
                      now: Date) throws -> Int64 {
        try db.transaction {
            let rows = try thresholds(of: userID)
            guard !rows.contains(where: { $0.direction == direction && $0.level == level }) else { throw ThresholdRefusal.duplicate }
            guard rows.count < limit else { throw ThresholdRefusal.limit(limit) }
            return try db.query("""
                INSERT INTO pnl_thresholds(user_id, chat_id, direction, level, created_at) VALUES(?, ?, ?, ?, ?) RETURNING id
                """, .integer(userID), .integer(chatID), .text(direction.rawValue), .real(level),
                       .real(now.timeIntervalSince1970)) { $0.int64(0) }.first ?? 0
        }
    }

    /// `userID`'s thresholds, lowest level first.
    func thresholds(of userID: Int64) throws -> [PnLThreshold] {
        try db.query("SELECT \(Self.thresholdColumns) FROM pnl_thresholds WHERE user_id = ? ORDER BY level, direction",
                     .integer(userID), row: Self.threshold)
    }

    /// Every threshold of a user not disabled that has not fired on `day`, for one check cycle.
    func thresholdsUnfired(on day: Int) throws -> [PnLThreshold] {
        try db.query("""
            SELECT \(Self.thresholdColumns) FROM pnl_thresholds WHERE (fired_day IS NULL OR fired_day != ?) AND \(Self.notDisabled("user_id"))
            ORDER BY user_id, id
            """, .integer(Int64(day)), row: Self.threshold)
    }

    /// Removes every threshold of `userID`; returns how many there were.
    func deleteThresholds(of userID: Int64) throws -> Int {
        try db.run("DELETE FROM pnl_thresholds WHERE user_id = ?", .integer(userID))
    }

    /// Marks thresholds fired on `day`; meant for a job's store work. Throws when one is gone or already fired that
    /// day (changed while it was checked), so the run's messages are dropped with it and the next cycle decides again.
    func markThresholdsFired(_ ids: [Int64], on day: Int) throws {
        for id in ids {
            let changed = try db.run("""
                UPDATE pnl_thresholds SET fired_day = ? WHERE id = ? AND (fired_day IS NULL OR fired_day != ?)
                """, .integer(Int64(day)), .integer(id), .integer(Int64(day)))
            guard changed == 1 else { throw JobFailure("P&L threshold \(id) changed while it was checked; checking again") }
        }
    }

    private static let thresholdColumns = "id, user_id, chat_id, direction, level, fired_day"

    private static func threshold(_ row: Row) -> PnLThreshold {
        PnLThreshold(id: row.int64(0), userID: row.int64(1), chatID: row.int64(2),
                     direction: PnLThreshold.Direction(rawValue: row.text(3)) ?? .below, level: row.double(4),
                     firedDay: row.isNull(5) ? nil : row.int(5))
    }
}
