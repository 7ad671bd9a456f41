import Foundation

/// One user's activity, as `pollbot user ID` prints it: never a command's arguments, which may hold secrets.
public struct UserActivity: Sendable {
    /// One logged command: its name, when, how it ended.
    public struct Entry: Sendable, Equatable {
        public var command: String
        public var startedAt: Date
        public var outcome: CommandLogEntry.Outcome
    }

    public var userID: Int64
    public var username: String?
    public var firstName: String?
    public var firstSeen: Date
    public var lastActive: Date
    public var disabledAt: Date?
    /// Logged commands and presses in the kept log (`[storage] log_days`), and how many of them failed.
    public var commands: Int
    public var failures: Int
    /// The latest first.
    public var recent: [Entry]
}

/// Users by activity, as `/admin` shows them.
public struct UserCounts: Sendable, Equatable {
    public var total: Int
    /// Active within the last 1, 7 and 30 days.
    public var day: Int
    public var week: Int
    public var month: Int
    public var disabled: Int
}

/// Traffic over a period, as `/admin` shows it.
public struct PeriodStats: Sendable, Equatable {
    public var days: Int
    /// Updates received (the inbox keeps them for its retention).
    public var updates: Int
    /// Logged commands and presses, those that ended in an error, and their 95th percentile latency.
    public var commands: Int
    public var failures: Int
    public var p95Milliseconds: Int?
}

/// Reports over users and the command log.
extension BotStore {
    /// `userID`'s activity with their `recent` latest commands; nil for a user the bot has never seen.
    public func userActivity(_ userID: Int64, recent: Int = 10) throws -> UserActivity? {
        let users = try db.query("SELECT username, first_name, first_seen, last_active, disabled_at FROM users WHERE user_id = ?",
                                 .integer(userID)) { row in
            (row.isNull(0) ? nil : row.text(0), row.isNull(1) ? nil : row.text(1), row.double(2), row.double(3),
             row.isNull(4) ? nil : row.double(4))
        }
        guard let user = users.first else { return nil }
        let totals = try db.query("SELECT count(*), coalesce(sum(outcome = 'error'), 0) FROM command_log WHERE user_id = ?",
                                  .integer(userID)) { ($0.int(0), $0.int(1)) }.first ?? (0, 0)
        let entries = try db.query("""
            SELECT command, started_at, outcome FROM command_log WHERE user_id = ? ORDER BY started_at DESC, id DESC LIMIT ?
            """, .integer(userID), .integer(Int64(max(0, recent)))) { row in
            UserActivity.Entry(command: row.text(0), startedAt: Date(timeIntervalSince1970: row.double(1)),
                               outcome: CommandLogEntry.Outcome(rawValue: row.text(2)) ?? .error)
        }
        return UserActivity(userID: userID, username: user.0, firstName: user.1, firstSeen: Date(timeIntervalSince1970: user.2),
                            lastActive: Date(timeIntervalSince1970: user.3), disabledAt: user.4.map(Date.init(timeIntervalSince1970:)),
                            commands: totals.0, failures: totals.1, recent: entries)
    }

    /// Known users: all, active within 1, 7 and 30 days, disabled.
    public func userCounts(now: Date = Date()) throws -> UserCounts {
        let now = now.timeIntervalSince1970
        return try db.query("""
            SELECT count(*), coalesce(sum(last_active >= ?), 0), coalesce(sum(last_active >= ?), 0), coalesce(sum(last_active >= ?), 0),
                coalesce(sum(disabled_at IS NOT NULL), 0) FROM users
            """, .real(now - 86_400), .real(now - 7 * 86_400), .real(now - 30 * 86_400)) { row in
            UserCounts(total: row.int(0), day: row.int(1), week: row.int(2), month: row.int(3), disabled: row.int(4))
        }.first ?? UserCounts(total: 0, day: 0, week: 0, month: 0, disabled: 0)
    }

    /// Updates, commands, failures and p95 latency over the last `days`.
    public func periodStats(days: Int, now: Date = Date()) throws -> PeriodStats {
        let since = SQLValue.real(now.timeIntervalSince1970 - Double(days) * 86_400)
        let updates = try db.query("SELECT count(*) FROM inbox WHERE received_at >= ?", since) { $0.int(0) }.first ?? 0
        let rows = try db.query("SELECT outcome = 'error', latency_ms FROM command_log WHERE started_at >= ?", since) {
            ($0.int(0) == 1, $0.int(1))
        }
        let latencies = rows.map(\.1).sorted()
        let p95 = latencies.isEmpty ? nil : latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.95))]
        return PeriodStats(days: days, updates: updates, commands: rows.count, failures: rows.filter(\.0).count, p95Milliseconds: p95)
    }
}
