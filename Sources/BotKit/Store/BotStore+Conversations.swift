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

    /// Stores a conversation change; inside `complete`'s transaction, or on its own.
    public func apply(_ change: ConversationChange) throws {
        switch change {
        case .save(let record):
            try db.run("""
                INSERT INTO conversations(chat_id, user_id, name, state, data, run, started_at, updated_at, expires_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(chat_id, user_id) DO UPDATE SET name = excluded.name, state = excluded.state, data = excluded.data,
                    run = excluded.run, started_at = excluded.started_at, updated_at = excluded.updated_at,
                    expires_at = excluded.expires_at
                """, .integer(record.chatID), .integer(record.userID), .text(record.name), .text(record.state),
                       .text(Self.encodeData(record.data)), .text(record.run), .real(record.startedAt.timeIntervalSince1970),
                       .real(record.updatedAt.timeIntervalSince1970), .real(record.expiresAt.timeIntervalSince1970))
        case .update(let record, let was):
            try db.run("""
                UPDATE conversations SET state = ?, data = ?, updated_at = ?, expires_at = ?
                WHERE chat_id = ? AND user_id = ? AND run = ? AND updated_at = ?
                """, .text(record.state), .text(Self.encodeData(record.data)), .real(record.updatedAt.timeIntervalSince1970),
                       .real(record.expiresAt.timeIntervalSince1970), .integer(record.chatID), .integer(record.userID),
                       .text(record.run), .real(was.timeIntervalSince1970))
        case .end(let chatID, let userID, let run?):
            try db.run("DELETE FROM conversations WHERE chat_id = ? AND user_id = ? AND run = ?", .integer(chatID), .integer(userID),
                       .text(run))
        case .end(let chatID, let userID, nil):
            try db.run("DELETE FROM conversations WHERE chat_id = ? AND user_id = ?", .integer(chatID), .integer(userID))
        }
    }

    /// Ends every conversation expired at `now` and queues its `notice` in the same transaction, so each notice goes
    /// out exactly once: a crash before the commit keeps both the row and no notice. Returns the queued rows.
    public func expireConversations(now: Date, notice: (ConversationRecord) -> [OutgoingMessage]) throws -> [OutboxItem] {
        try db.transaction {
            let expired = try db.query("SELECT chat_id, user_id FROM conversations WHERE expires_at <= ? ORDER BY expires_at",
                                       .real(now.timeIntervalSince1970)) { ($0.int64(0), $0.int64(1)) }
            var queued: [OutboxItem] = []
            for (chatID, userID) in expired {
                guard let record = try conversation(chatID: chatID, userID: userID) else { continue }
                try apply(.end(chatID: chatID, userID: userID))
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
