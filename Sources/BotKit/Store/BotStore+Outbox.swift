import Foundation

/// The outbox: replies wait here until Telegram accepts them.
extension BotStore {
    /// Queues `messages` on their own, outside any update's completion (progress a handler sends early).
    public func queueNow(_ messages: [OutgoingMessage], now: Date = Date()) throws -> [OutboxItem] {
        try db.transaction { try insertOutbox(messages, updateID: nil, now: now) }
    }

    func insertOutbox(_ messages: [OutgoingMessage], updateID: Int64?, now: Date) throws -> [OutboxItem] {
        var items: [OutboxItem] = []
        for (seq, message) in messages.enumerated() {
            try db.run("INSERT INTO outbox(chat_id, update_id, seq, method, payload, created_at) VALUES(?, ?, ?, ?, ?, ?)",
                       .integer(message.chatID), updateID.map(SQLValue.integer) ?? .null, .integer(Int64(seq)),
                       .text(message.method), .blob(message.payload), .real(now.timeIntervalSince1970))
            let id = db.lastInsertRowID
            if let group = message.deliveryGroup {
                try db.run("INSERT INTO delivery_items(outbox_id, group_name) VALUES(?, ?)", .integer(id), .text(group))
            }
            items.append(OutboxItem(id: id, message: message, attempts: 0))
        }
        return items
    }

    /// Queues messages that answer no update (alerts, notices).
    public func enqueue(_ messages: [OutgoingMessage], now: Date = Date()) throws -> [OutboxItem] {
        try db.transaction { try insertOutbox(messages, updateID: nil, now: now) }
    }

    /// Every undelivered row, in the order it was queued, with its delivery group (the sender sends those last).
    public func pendingOutbox() throws -> [OutboxItem] {
        try db.query("""
            SELECT o.id, o.chat_id, o.method, o.payload, o.attempts, d.group_name FROM outbox o
            LEFT JOIN delivery_items d ON d.outbox_id = o.id ORDER BY o.id
            """) { row in
            var message = OutgoingMessage(chatID: row.int64(1), method: row.text(2), payload: row.blob(3))
            message.deliveryGroup = row.isNull(5) ? nil : row.text(5)
            return OutboxItem(id: row.int64(0), message: message, attempts: row.int(4))
        }
    }

    /// Removes a row Telegram accepted (`.sent`), or one that can never be delivered (`.failed`); a grouped row's
    /// outcome is recorded in the same transaction.
    public func removeOutbox(id: Int64, outcome: DeliveryGroupOutcome = .sent) throws {
        try db.transaction {
            try recordDeliveryOutcome(outcome, where: "outbox_id = ?", .integer(id))
            try db.run("DELETE FROM outbox WHERE id = ?", .integer(id))
        }
    }

    /// Removes every row of a chat that blocked the bot, and marks the chat inactive.
    public func deactivateChat(_ chatID: Int64, now: Date = Date()) throws {
        try db.transaction {
            try recordDeliveryOutcome(.blocked, where: "outbox_id IN (SELECT id FROM outbox WHERE chat_id = ?)", .integer(chatID))
            try db.run("DELETE FROM outbox WHERE chat_id = ?", .integer(chatID))
            try db.run("""
                INSERT INTO chats(chat_id, active, updated_at) VALUES(?, 0, ?)
                ON CONFLICT(chat_id) DO UPDATE SET active = 0, updated_at = excluded.updated_at
                """, .integer(chatID), .real(now.timeIntervalSince1970))
        }
    }

    /// Marks a chat active again (the user unblocked the bot or wrote to it).
    public func activateChat(_ chatID: Int64, now: Date = Date()) throws {
        try db.run("""
            INSERT INTO chats(chat_id, active, updated_at) VALUES(?, 1, ?)
            ON CONFLICT(chat_id) DO UPDATE SET active = 1, updated_at = excluded.updated_at WHERE active = 0
            """, .integer(chatID), .real(now.timeIntervalSince1970))
    }

    /// False once the chat blocked the bot or moved to a supergroup, until it is activated again; true for a chat never recorded.
    public func isChatActive(_ chatID: Int64) throws -> Bool {
        try db.query("SELECT active FROM chats WHERE chat_id = ?", .integer(chatID)) { $0.int(0) == 1 }.first ?? true
    }

    /// Moves a group's queued rows to its new supergroup id.
    public func migrateChat(from oldID: Int64, to newID: Int64, now: Date = Date()) throws -> [OutboxItem] {
        try db.transaction {
            let rows = try db.query("SELECT id, method, payload, attempts FROM outbox WHERE chat_id = ? ORDER BY id", .integer(oldID)) {
                ($0.int64(0), $0.text(1), $0.blob(2), $0.int(3))
            }
            var moved: [OutboxItem] = []
            for (id, method, payload, attempts) in rows {
                let rewritten = PayloadRewrite.setChatID(newID, in: payload)
                try db.run("UPDATE outbox SET chat_id = ?, payload = ? WHERE id = ?", .integer(newID), .blob(rewritten), .integer(id))
                moved.append(OutboxItem(id: id, message: OutgoingMessage(chatID: newID, method: method, payload: rewritten), attempts: attempts))
            }
            try db.run("""
                INSERT INTO chats(chat_id, active, migrated_to, updated_at) VALUES(?, 0, ?, ?)
                ON CONFLICT(chat_id) DO UPDATE SET active = 0, migrated_to = excluded.migrated_to, updated_at = excluded.updated_at
                """, .integer(oldID), .integer(newID), .real(now.timeIntervalSince1970))
            return moved
        }
    }

    /// Stores a rewritten payload (the plain-text fallback) and counts the attempt.
    public func updateOutbox(id: Int64, payload: Data, attempts: Int) throws {
        try db.run("UPDATE outbox SET payload = ?, attempts = ? WHERE id = ?", .blob(payload), .integer(Int64(attempts)), .integer(id))
    }

    /// For tests: the next `count` row removals fail as on a failing disk.
    func failOutboxRemovals(_ count: Int) {
        db.injectedFailures["DELETE FROM outbox WHERE id"] = count
    }

    /// Number of undelivered rows.
    public func outboxCount() throws -> Int {
        try db.query("SELECT count(*) FROM outbox") { $0.int(0) }.first ?? 0
    }
}
