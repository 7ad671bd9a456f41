import Foundation

/// The engine's figures for the status page, read in one call on the store's executor.
public struct StatusFigures: Sendable {
    /// Latency percentiles in milliseconds over the commands of a period; nil fields before any command ran.
    public struct Latency: Sendable, Equatable {
        public var count: Int
        public var p50: Int?
        public var p95: Int?
        public var p99: Int?
    }

    /// One failure as the page lists it: where it happened, which error id the user and the log got, and the
    /// engine's own words (never what the user typed).
    public struct Failure: Sendable, Equatable {
        public var at: Date
        public var source: String
        public var what: String
        public var errorID: String?
        public var detail: String
    }

    /// Updates received in the last 5 minutes.
    public var updatesLast5Minutes: Int
    /// Logged commands and button presses in the last 15 minutes, and how many of them ended in an error.
    public var commandsLast15Minutes: Int
    public var errorsLast15Minutes: Int
    /// Over the last 24 hours.
    public var latency: Latency
    public var outboxDepth: Int
    public var outboxOldestAge: TimeInterval
    public var inboxPending: Int
    public var usersTotal: Int
    /// Users active in the last day and the last 7 days.
    public var usersDaily: Int
    public var usersWeekly: Int
    /// Last 7 days, most used first.
    public var commands: [CommandStats]
    /// Last 7 days.
    public var conversations: [ConversationStats]
    /// The latest first, at most `StatusFigures.failureLimit`.
    public var failures: [Failure]

    /// How many failures the page lists.
    public static let failureLimit = 20
}

extension BotStore {
    /// The status page's figures at `now`; a command name not in `knownCommands` is shown as `/(unknown)`, so nothing
    /// a user typed after a slash reaches the page.
    public func statusFigures(now: Date = Date(), knownCommands: Set<String>) throws -> StatusFigures {
        let seconds = now.timeIntervalSince1970
        let updates = try db.query("SELECT count(*) FROM inbox WHERE received_at >= ?", .real(seconds - 300)) { $0.int(0) }.first ?? 0
        let recent = try db.query("SELECT count(*), coalesce(sum(outcome = 'error'), 0) FROM command_log WHERE started_at >= ?",
                                  .real(seconds - 900)) { ($0.int(0), $0.int(1)) }.first ?? (0, 0)
        let latencies = try db.query("SELECT latency_ms FROM command_log WHERE started_at >= ? ORDER BY latency_ms",
                                     .real(seconds - 86_400)) { $0.int(0) }
        let backlog = try outboxBacklog(now: now)
        let users = try userCounts(now: now)
        let shown = { (name: String) in knownCommands.contains(name) ? name : "/(unknown)" }
        return StatusFigures(
            updatesLast5Minutes: updates, commandsLast15Minutes: recent.0, errorsLast15Minutes: recent.1,
            latency: .init(count: latencies.count, p50: Self.nearestRank(latencies, 0.50), p95: Self.nearestRank(latencies, 0.95),
                           p99: Self.nearestRank(latencies, 0.99)),
            outboxDepth: backlog.depth, outboxOldestAge: backlog.oldestAge, inboxPending: try inboxPending(),
            usersTotal: users.total, usersDaily: users.day, usersWeekly: users.week,
            commands: Self.merged(try commandStats(days: 7, now: now).commands, shown),
            conversations: try conversationStats(days: 7, now: now),
            failures: try recentFailures(shown))
    }

    /// The value at or below which `p` of the sorted `values` lie (nearest rank); nil for none.
    static func nearestRank(_ sorted: [Int], _ p: Double) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((Double(sorted.count) * p).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    /// Unknown names folded into one row; its success rate and p95 are the worst of what was folded, which only
    /// matters for a row that never runs a handler anyway.
    private static func merged(_ stats: [CommandStats], _ shown: (String) -> String) -> [CommandStats] {
        var rows: [String: CommandStats] = [:]
        for stat in stats {
            let name = shown(stat.command)
            if var row = rows[name] {
                let total = row.count + stat.count
                row.successRate = (row.successRate * Double(row.count) + stat.successRate * Double(stat.count)) / Double(total)
                row.p50Milliseconds = max(row.p50Milliseconds, stat.p50Milliseconds)
                row.p95Milliseconds = max(row.p95Milliseconds, stat.p95Milliseconds)
                row.count = total
                rows[name] = row
            } else {
                var row = stat
                row.command = name
                rows[name] = row
            }
        }
        return rows.values.sorted { ($0.count, $1.command) > ($1.count, $0.command) }
    }

    /// Commands that ended in an error, updates given up, and jobs whose last run failed, latest first.
    private func recentFailures(_ shown: (String) -> String) throws -> [StatusFigures.Failure] {
        let limit = SQLValue.integer(Int64(StatusFigures.failureLimit))
        let commands = try db.query("""
            SELECT started_at, command, error_id FROM command_log WHERE outcome = 'error' ORDER BY started_at DESC LIMIT ?
            """, limit) { row in
            StatusFigures.Failure(at: Date(timeIntervalSince1970: row.double(0)), source: "command", what: shown(row.text(1)),
                                  errorID: row.isNull(2) ? nil : row.text(2), detail: "the handler failed")
        }
        let updates = try db.query("""
            SELECT coalesce(handled_at, received_at), update_id, error_id, coalesce(failure, '') FROM inbox WHERE status = 3
            ORDER BY coalesce(handled_at, received_at) DESC LIMIT ?
            """, limit) { row in
            StatusFigures.Failure(at: Date(timeIntervalSince1970: row.double(0)), source: "update", what: "update \(row.int64(1))",
                                  errorID: row.isNull(2) ? nil : row.text(2), detail: "given up: " + row.text(3))
        }
        let jobs = try db.query("""
            SELECT coalesce(last_run_at, created_at), kind, failures, coalesce(last_error, '') FROM jobs WHERE failures > 0
            ORDER BY coalesce(last_run_at, created_at) DESC LIMIT ?
            """, limit) { row in
            StatusFigures.Failure(at: Date(timeIntervalSince1970: row.double(0)), source: "job", what: row.text(1), errorID: nil,
                                  detail: "\(row.int(2)) failed run(s) in a row: " + row.text(3))
        }
        return Array((commands + updates + jobs).sorted { $0.at > $1.at }.prefix(StatusFigures.failureLimit))
    }
}
