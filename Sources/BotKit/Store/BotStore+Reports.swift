import Foundation

/// A user as `pollbot users` lists them (no secrets).
public struct UserSummary: Sendable {
    public var userID: Int64
    public var username: String?
    public var accounts: [String]
    public var lastActive: Date
}

/// One command's figures for `pollbot stats`.
public struct CommandStats: Sendable {
    public var command: String
    public var count: Int
    public var successRate: Double
    public var p50Milliseconds: Int
    public var p95Milliseconds: Int
}

/// Reports over users and the command log.
extension BotStore {
    public func userSummaries() throws -> [UserSummary] {
        try db.query("""
            SELECT u.user_id, u.username, u.last_active, group_concat(a.name, ', ')
            FROM users u LEFT JOIN accounts a ON a.user_id = u.user_id
            GROUP BY u.user_id ORDER BY u.last_active DESC
            """) { row in
            UserSummary(userID: row.int64(0), username: row.isNull(1) ? nil : row.text(1),
                        accounts: row.isNull(3) ? [] : row.text(3).components(separatedBy: ", "),
                        lastActive: Date(timeIntervalSince1970: row.double(2)))
        }
    }

    /// Per-command counts, success rate and latency percentiles over the last `days`, and the active users.
    public func commandStats(days: Int, now: Date = Date()) throws -> (commands: [CommandStats], activeUsers: Int) {
        let since = SQLValue.real(now.timeIntervalSince1970 - Double(days) * 86_400)
        let rows = try db.query("SELECT command, outcome, latency_ms FROM command_log WHERE started_at >= ?", since) {
            ($0.text(0), $0.text(1), $0.int(2))
        }
        let grouped = Dictionary(grouping: rows, by: \.0)
        let stats = grouped.map { command, entries in
            let latencies = entries.map(\.2).sorted()
            func percentile(_ p: Double) -> Int { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            let ok = entries.filter { $0.1 == CommandLogEntry.Outcome.ok.rawValue }.count
            return CommandStats(command: command, count: entries.count, successRate: Double(ok) / Double(entries.count),
                                p50Milliseconds: percentile(0.5), p95Milliseconds: percentile(0.95))
        }.sorted { $0.count > $1.count }
        let active = try db.query("SELECT count(DISTINCT user_id) FROM command_log WHERE started_at >= ?", since) { $0.int(0) }.first ?? 0
        return (stats, active)
    }
}
