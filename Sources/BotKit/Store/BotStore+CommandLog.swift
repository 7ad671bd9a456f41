import Foundation

/// One handled command or button press, as the command log keeps it.
public struct CommandLogEntry: Sendable, Equatable {
    /// How it ended.
    public enum Outcome: String, Sendable {
        case ok, error, denied, rateLimited = "rate-limited", stale, usage
    }

    public var userID: Int64?
    public var chatID: Int64
    public var command: String
    /// With secrets removed (a /link row never holds the key).
    public var arguments: String
    public var startedAt: Date
    public var latencyMilliseconds: Int
    public var outcome: Outcome
    public var errorID: String?

    public init(userID: Int64?, chatID: Int64, command: String, arguments: String, startedAt: Date,
                latencyMilliseconds: Int, outcome: Outcome, errorID: String? = nil) {
        self.userID = userID
        self.chatID = chatID
        self.command = command
        self.arguments = arguments
        self.startedAt = startedAt
        self.latencyMilliseconds = latencyMilliseconds
        self.outcome = outcome
        self.errorID = errorID
    }
}

/// The command log: what `pollbot stats` reads.
extension BotStore {
    func insertLog(_ entry: CommandLogEntry) throws {
        try db.run("""
            INSERT INTO command_log(user_id, chat_id, command, arguments, started_at, latency_ms, outcome, error_id)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?)
            """, entry.userID.map(SQLValue.integer) ?? .null, .integer(entry.chatID), .text(entry.command), .text(entry.arguments),
            .real(entry.startedAt.timeIntervalSince1970), .integer(Int64(entry.latencyMilliseconds)), .text(entry.outcome.rawValue),
            entry.errorID.map(SQLValue.text) ?? .null)
    }

    /// Every log row, oldest first (for tests).
    public func commandLog() throws -> [CommandLogEntry] {
        try db.query("""
            SELECT user_id, chat_id, command, arguments, started_at, latency_ms, outcome, error_id FROM command_log ORDER BY id
            """) { row in
            CommandLogEntry(userID: row.isNull(0) ? nil : row.int64(0), chatID: row.int64(1), command: row.text(2),
                            arguments: row.text(3), startedAt: Date(timeIntervalSince1970: row.double(4)),
                            latencyMilliseconds: row.int(5), outcome: CommandLogEntry.Outcome(rawValue: row.text(6)) ?? .error,
                            errorID: row.isNull(7) ? nil : row.text(7))
        }
    }

    /// Deletes log rows older than `days`.
    public func pruneCommandLog(olderThanDays days: Int, now: Date = Date()) throws {
        try db.run("DELETE FROM command_log WHERE started_at < ?", .real(now.timeIntervalSince1970 - Double(days) * 86_400))
    }
}
