import Foundation

/// One command's figures for `pollbot stats`.
public struct CommandStats: Sendable {
    public var command: String
    public var count: Int
    public var successRate: Double
    public var p50Milliseconds: Int
    public var p95Milliseconds: Int
}

/// Reports over the command log.
extension BotStore {
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

/// An update the bot gave up, as `pollbot inbox --failed` lists it (never its payload, which may hold a secret).
public struct FailedUpdate: Sendable, Equatable {
    public var updateID: Int64
    public var chatID: Int64?
    public var receivedAt: Date
    /// How many times its handler started.
    public var attempts: Int
    public var reason: String
    /// The id the user's notice and the log line carry.
    public var errorID: String?
}

/// Reports over the inbox.
extension BotStore {
    /// Updates given up (crash loops, time limits, unreadable rows), oldest first.
    public func failedUpdates() throws -> [FailedUpdate] {
        try db.query("SELECT update_id, chat_id, received_at, attempts, failure, error_id FROM inbox WHERE status = 3 ORDER BY update_id") { row in
            FailedUpdate(updateID: row.int64(0), chatID: row.isNull(1) ? nil : row.int64(1),
                         receivedAt: Date(timeIntervalSince1970: row.double(2)), attempts: row.int(3),
                         reason: row.isNull(4) ? "" : row.text(4), errorID: row.isNull(5) ? nil : row.text(5))
        }
    }

    /// Rows per state: pending, handled, failed (undecodable updates count as handled: there was nothing to do).
    public func inboxCounts() throws -> (pending: Int, handled: Int, failed: Int) {
        let counts = Dictionary(uniqueKeysWithValues: try db.query("SELECT status, count(*) FROM inbox GROUP BY status") { ($0.int(0), $0.int(1)) })
        return (counts[0] ?? 0, (counts[1] ?? 0) + (counts[2] ?? 0), counts[3] ?? 0)
    }
}

extension FailedUpdate {
    /// The tab-separated table `pollbot inbox --failed` prints, header first.
    public static func table(_ updates: [FailedUpdate]) -> String {
        let formatter = ISO8601DateFormatter()
        let header = "update_id\tchat_id\treceived_at\tattempts\terror_id\treason"
        let lines = updates.map { update in
            [String(update.updateID), update.chatID.map(String.init) ?? "-", formatter.string(from: update.receivedAt),
             String(update.attempts), update.errorID ?? "-", update.reason].joined(separator: "\t")
        }
        return ([header] + lines).joined(separator: "\n")
    }
}
