import Foundation

/// An update recorded in the inbox and not yet handled.
public struct InboxItem: Sendable {
    public var update: Update
    /// When the bot first saw it; stale commands are judged against this.
    public var receivedAt: Date

    public init(update: Update, receivedAt: Date) {
        self.update = update
        self.receivedAt = receivedAt
    }
}

/// The durable inbox: every update is recorded before it is acted on.
extension BotStore {
    /// The offset to ask getUpdates for: one above the last recorded update.
    public func pollOffset() throws -> Int64 {
        Int64(try meta("offset") ?? "0") ?? 0
    }

    /// Records a getUpdates batch and the next offset in one transaction; returns the updates not seen before.
    public func record(_ slots: [UpdateSlot], receivedAt: Date = Date()) throws -> [InboxItem] {
        let encoder = JSONEncoder()
        return try db.transaction {
            var fresh: [InboxItem] = []
            var highest = try pollOffset() - 1
            for slot in slots {
                guard let id = slot.updateID else { continue }
                highest = max(highest, id)
                if let update = slot.update {
                    let payload = sealPayload(try encoder.encode(update), updateID: id)
                    let inserted = try db.run(
                        "INSERT OR IGNORE INTO inbox(update_id, chat_id, payload, received_at) VALUES(?, ?, ?, ?)",
                        .integer(id), update.chatID.map(SQLValue.integer) ?? .null, .blob(payload),
                        .real(receivedAt.timeIntervalSince1970))
                    if inserted > 0 { fresh.append(InboxItem(update: update, receivedAt: receivedAt)) }
                } else {
                    try db.run("INSERT OR IGNORE INTO inbox(update_id, payload, received_at, status) VALUES(?, x'', ?, 2)",
                               .integer(id), .real(receivedAt.timeIntervalSince1970))
                }
            }
            try setMeta("offset", String(highest + 1))
            return fresh
        }
    }

    /// Updates recorded but not handled, oldest first (after a restart).
    public func pendingInbox() throws -> [InboxItem] {
        let decoder = JSONDecoder()
        return try db.query("SELECT update_id, payload, received_at FROM inbox WHERE status = 0 ORDER BY update_id") { row in
            (row.int64(0), row.blob(1), row.double(2))
        }.compactMap { id, payload, received in
            guard let json = openPayload(payload, updateID: id), let update = try? decoder.decode(Update.self, from: json) else { return nil }
            return InboxItem(update: update, receivedAt: Date(timeIntervalSince1970: received))
        }
    }

    private static let sealedMarker = Data("S1".utf8)

    private func sealPayload(_ json: Data, updateID: Int64) -> Data {
        guard let vault else { return json }
        let sealed = vault.seal([UInt8](json), context: "pollbot-inbox-v1|update=\(updateID)")
        return Self.sealedMarker + Data(sealed.keyID.utf8) + sealed.box
    }

    private func openPayload(_ payload: Data, updateID: Int64) -> Data? {
        guard payload.starts(with: Self.sealedMarker) else { return payload }
        guard let vault, payload.count > 18 else { return nil }
        let keyID = String(decoding: payload.dropFirst(2).prefix(16), as: UTF8.self)
        let sealed = SealedSecret(box: Data(payload.dropFirst(18)), keyID: keyID)
        return (try? vault.open(sealed, context: "pollbot-inbox-v1|update=\(updateID)")).map { Data($0) }
    }

    /// Marks an update handled and queues its replies in the same transaction.
    ///
    /// Returns the queued rows; returns nothing when the update was already
    /// handled, so a handler that ran twice after a crash still answers once.
    public func complete(updateID: Int64, replies: [OutgoingMessage], log: CommandLogEntry? = nil, user: User? = nil,
                         now: Date = Date()) throws -> [OutboxItem] {
        try db.transaction {
            let marked = try db.run("UPDATE inbox SET status = 1, handled_at = ? WHERE update_id = ? AND status = 0",
                                    .real(now.timeIntervalSince1970), .integer(updateID))
            guard marked == 1 else { return [] }
            if let user { try touchUser(user, now: now) }
            if let log { try insertLog(log) }
            return try insertOutbox(replies, updateID: updateID, now: now)
        }
    }

    /// True when update `updateID` is stored and handled.
    public func isHandled(updateID: Int64) throws -> Bool {
        try db.query("SELECT status FROM inbox WHERE update_id = ?", .integer(updateID)) { $0.int(0) }.first == 1
    }

    /// Handled-update count, for tests and `pollbot stats`.
    public func handledCount() throws -> Int {
        try db.query("SELECT count(*) FROM inbox WHERE status = 1") { $0.int(0) }.first ?? 0
    }

    /// Forgets handled updates older than `age`; Telegram never resends them after 24 h.
    public func pruneInbox(olderThan age: TimeInterval, now: Date = Date()) throws {
        try db.run("DELETE FROM inbox WHERE status != 0 AND received_at < ?", .real(now.timeIntervalSince1970 - age))
    }
}
