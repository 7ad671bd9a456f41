import Foundation

/// Open conversations, one per user in chat. Data is stored as plain JSON, not sealed: a message that looks like a
/// secret never reaches a conversation (`SecretStep` answers it first), and flows keep choices (tickers, strategies),
/// never keys; a flow that needs a secret must not put it in its data.
extension BotStore {
    /// The user's conversation in the chat, expired or not (the caller judges the time).
    public func conversation(chatID: Int64, userID: Int64) throws -> ConversationRecord? {
        try db.query("""
            SELECT name, state, data, started_at, updated_at, expires_at, run FROM conversations WHERE chat_id = ? AND user_id = ?
            """, .integer(chatID), .integer(userID)) { row in
            ConversationRecord(chatID: chatID, userID: userID, name: row.text(0), state: row.text(1), data: Self.decodeData(row.text(2)),
                               run: row.text(6), startedAt: Date(timeIntervalSince1970: row.double(3)),
                               updatedAt: Date(timeIntervalSince1970: row.double(4)), expiresAt: Date(timeIntervalSince1970: row.double(5)))
        }.first
    }

    /// Stores a conversation change and counts its start or end; inside `complete`'s transaction, or on its own.
    public func apply(_ change: ConversationChange, now: Date = Date()) throws {
        switch change {
        case .save(let record):
            let open = try db.query("SELECT name, run FROM conversations WHERE chat_id = ? AND user_id = ?",
                                    .integer(record.chatID), .integer(record.userID)) { ($0.text(0), $0.text(1)) }.first
            try db.run("""
                INSERT INTO conversations(chat_id, user_id, name, state, data, run, started_at, updated_at, expires_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(chat_id, user_id) DO UPDATE SET name = excluded.name, state = excluded.state, data = excluded.data,
                    run = excluded.run, started_at = excluded.started_at, updated_at = excluded.updated_at,
                    expires_at = excluded.expires_at
                """, .integer(record.chatID), .integer(record.userID), .text(record.name), .text(record.state),
                       .text(Self.encodeData(record.data)), .text(record.run), .real(record.startedAt.timeIntervalSince1970),
                       .real(record.updatedAt.timeIntervalSince1970), .real(record.expiresAt.timeIntervalSince1970))
            if let open, open.1 != record.run { try count(open.0, "replaced", now: now) }
            if open?.1 != record.run { try count(record.name, "started", now: now) }
        case .update(let record, let was):
            try db.run("""
                UPDATE conversations SET state = ?, data = ?, updated_at = ?, expires_at = ?
                WHERE chat_id = ? AND user_id = ? AND run = ? AND updated_at = ?
                """, .text(record.state), .text(Self.encodeData(record.data)), .real(record.updatedAt.timeIntervalSince1970),
                       .real(record.expiresAt.timeIntervalSince1970), .integer(record.chatID), .integer(record.userID),
                       .text(record.run), .real(was.timeIntervalSince1970))
        case .end(let chatID, let userID, let run, let outcome):
            // Only an end that removed a row counts: a finish racing the sweeper is counted once, by whichever won.
            let ended = try db.query("""
                DELETE FROM conversations WHERE chat_id = ? AND user_id = ? AND (?3 IS NULL OR run = ?3) RETURNING name
                """, .integer(chatID), .integer(userID), run.map { .text($0) } ?? .null) { $0.text(0) }
            for name in ended { try count(name, outcome.rawValue, now: now) }
        }
    }

    /// Adds one to `column` of today's row for conversation `name`.
    private func count(_ name: String, _ column: String, now: Date) throws {
        precondition((["started"] + ConversationOutcome.allCases.map(\.rawValue)).contains(column), "no such count")
        try db.run("""
            INSERT INTO conversation_stats(day, name, \(column)) VALUES(?, ?, 1)
            ON CONFLICT(day, name) DO UPDATE SET \(column) = \(column) + 1
            """, .text(Self.utcDay(now)), .text(name))
    }

    /// Starts and endings per conversation over the last `days` days (today included), most started first.
    public func conversationStats(days: Int, now: Date = Date()) throws -> [ConversationStats] {
        let since = Self.utcDay(now.addingTimeInterval(-Double(max(days - 1, 0)) * 86_400))
        return try db.query("""
            SELECT name, sum(started), sum(completed), sum(cancelled), sum(timed_out), sum(replaced), sum(abandoned)
            FROM conversation_stats WHERE day >= ? AND day <= ? GROUP BY name ORDER BY sum(started) DESC, name
            """, .text(since), .text(Self.utcDay(now))) { row in
            ConversationStats(name: row.text(0), started: row.int(1), completed: row.int(2), cancelled: row.int(3),
                              timedOut: row.int(4), replaced: row.int(5), abandoned: row.int(6))
        }
    }

    /// "2026-01-07": the UTC day of `date`, computed without Calendar or ICU (this runs on every conversation step).
    private static func utcDay(_ date: Date) -> String { ZoneRules.utc.civil(date).isoDate }

    /// Ends every conversation expired at `now` and queues its `notice` in the same transaction, so each notice goes
    /// out exactly once: a crash before the commit keeps both the row and no notice. Returns the queued rows.
    public func expireConversations(now: Date, notice: (ConversationRecord) -> [OutgoingMessage]) throws -> [OutboxItem] {
        try db.transaction {
            let expired = try db.query("SELECT chat_id, user_id FROM conversations WHERE expires_at <= ? ORDER BY expires_at",
                                       .real(now.timeIntervalSince1970)) { ($0.int64(0), $0.int64(1)) }
            var queued: [OutboxItem] = []
            for (chatID, userID) in expired {
                guard let record = try conversation(chatID: chatID, userID: userID) else { continue }
                try apply(.end(chatID: chatID, userID: userID, outcome: .timedOut), now: now)
                queued += try insertOutbox(notice(record), updateID: nil, now: now)
            }
            return queued
        }
    }

    /// When the next open conversation expires; nil when none is open.
    public func nextConversationExpiry() throws -> Date? {
        try db.query("SELECT min(expires_at) FROM conversations") { $0.isNull(0) ? nil : Date(timeIntervalSince1970: $0.double(0)) }.first ?? nil
    }

    /// How many conversations are open (for tests and `pollbot stats`).
    public func conversationCount() throws -> Int {
        try db.query("SELECT count(*) FROM conversations") { $0.int(0) }.first ?? 0
    }

    private static func encodeData(_ data: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private static func decodeData(_ text: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
