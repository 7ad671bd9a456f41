import Foundation
import Logging

/// An update recorded in the inbox and not yet handled.
public struct InboxItem: Sendable {
    public var update: Update
    /// When the bot first saw it; stale commands are judged against this.
    public var receivedAt: Date
    /// For an update that waited in Telegram's queue while the bot was down (the rounds after a start, until one comes
    /// back short):
    /// when the bot last heard from Telegram before. A button press carries no time of its own, so this bounds how
    /// old it may be. Not stored: an update recorded before a crash was seen live, and is honoured after the restart.
    public var waitedSince: Date?

    public init(update: Update, receivedAt: Date, waitedSince: Date? = nil) {
        self.update = update
        self.receivedAt = receivedAt
        self.waitedSince = waitedSince
    }
}

/// The durable inbox: every update is recorded before it is acted on.
extension BotStore {
    /// The offset to ask getUpdates for: one above the last recorded update.
    public func pollOffset() throws -> Int64 {
        Int64(try meta("offset") ?? "0") ?? 0
    }

    /// The offset that confirms every update up to `highest`; a hostile server's `Int64.max` must not overflow it.
    public nonisolated static func offset(after highest: Int64) -> Int64 {
        highest == .max ? .max : highest + 1
    }

    /// When Telegram last answered a poll (`last_poll_at`): the next start measures its downtime from it.
    public func lastTelegramAnswer() throws -> Date? {
        try meta(Self.lastPollKey).flatMap(Double.init).map(Date.init(timeIntervalSince1970:))
    }

    /// Records that Telegram answered now.
    public func noteTelegramAnswer(now: Date = Date()) throws {
        try setMeta(Self.lastPollKey, String(now.timeIntervalSince1970))
    }

    static let lastPollKey = "last_poll_at"

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
            try setMeta("offset", String(Self.offset(after: highest)))
            return fresh
        }
    }

    /// Updates recorded but not handled, oldest first (after a restart).
    ///
    /// A row whose payload no longer opens (another master key) or decodes is
    /// marked failed and logged, so that it is neither lost silently nor tried at every start.
    public func pendingInbox(logger: Logger = Logger(label: "pollbot.store")) throws -> [InboxItem] {
        let decoder = JSONDecoder()
        let rows = try db.query("SELECT update_id, payload, received_at FROM inbox WHERE status = 0 ORDER BY update_id") { row in
            (row.int64(0), row.blob(1), row.double(2))
        }
        var items: [InboxItem] = []
        for (id, payload, received) in rows {
            let reason: String
            if let json = openPayload(payload, updateID: id) {
                if let update = try? decoder.decode(Update.self, from: json) {
                    items.append(InboxItem(update: update, receivedAt: Date(timeIntervalSince1970: received)))
                    continue
                }
                reason = "stored update cannot be decoded"
            } else {
                reason = "stored update cannot be opened with the master key"
            }
            let errorID = ErrorID.make()
            _ = try fail(updateID: id, reason: reason, errorID: errorID, notice: [])
            logger.error("inbox row given up: \(reason)", metadata: ["update_id": "\(id)", "error_id": "\(errorID)"])
        }
        return items
    }

    private func sealPayload(_ json: Data, updateID: Int64) -> Data {
        guard let vault else { return json }
        return Self.payload(vault.seal([UInt8](json), context: Self.inboxContext(updateID: updateID)))
    }

    private func openPayload(_ payload: Data, updateID: Int64) -> Data? {
        guard payload.starts(with: Self.sealedPayloadMarker) else { return payload }
        guard let vault, let sealed = Self.sealedPayload(payload) else { return nil }
        return (try? vault.open(sealed, context: Self.inboxContext(updateID: updateID))).map { Data($0) }
    }

    /// Marks an update handled and queues its replies in the same transaction, with its conversation change: a crash
    /// never leaves a reply without its state or the reverse.
    ///
    /// Returns the queued rows; returns nothing when the update was already
    /// handled, so a handler that ran twice after a crash still answers once.
    public func complete(updateID: Int64, replies: [OutgoingMessage], log: CommandLogEntry? = nil, user: User? = nil,
                         conversation: ConversationChange? = nil, now: Date = Date()) throws -> [OutboxItem] {
        try db.transaction {
            let marked = try db.run("UPDATE inbox SET status = 1, handled_at = ? WHERE update_id = ? AND status = 0",
                                    .real(now.timeIntervalSince1970), .integer(updateID))
            guard marked == 1 else { return [] }
            if let user { try touchUser(user, now: now) }
            if let log { try insertLog(log) }
            if let conversation { try apply(conversation) }
            return try insertOutbox(replies, updateID: updateID, now: now)
        }
    }

    /// Counts one more start of the handler of `updateID`, committed before the handler runs.
    ///
    /// A crash or kill while a handler runs leaves the count raised, so an update
    /// that brought the process down `limit` times is given up instead of run again.
    public func startAttempt(updateID: Int64, limit: Int) throws -> AttemptStart {
        // The handler's access check reads the disabled users from memory: bring them up to date with other
        // processes' changes here, on the call every update makes before its handler, instead of a store call of its own.
        refreshDisabledUsers()
        let counted = try db.run("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ? AND status = 0 AND attempts < ?",
                                 .integer(updateID), .integer(Int64(limit)))
        if counted == 1 { return .run }
        let row = try db.query("SELECT status, attempts FROM inbox WHERE update_id = ?", .integer(updateID)) { ($0.int(0), $0.int(1)) }.first
        guard let row, row.0 == 0 else { return .settled }
        return .exhausted(attempts: row.1)
    }

    /// Gives up a pending update: marks it failed with `reason` and queues `notice` in the same transaction.
    ///
    /// The payload is dropped: nothing runs it again, and it may carry a secret (a /link)
    /// that should not stay a week. Returns the queued rows; nothing when the update was no longer pending.
    public func fail(updateID: Int64, reason: String, errorID: String, notice: [OutgoingMessage],
                     now: Date = Date()) throws -> [OutboxItem] {
        try db.transaction {
            let marked = try db.run("""
                UPDATE inbox SET status = 3, payload = x'', handled_at = ?, failure = ?, error_id = ? WHERE update_id = ? AND status = 0
                """, .real(now.timeIntervalSince1970), .text(reason), .text(errorID), .integer(updateID))
            guard marked == 1 else { return [] }
            return try insertOutbox(notice, updateID: updateID, now: now)
        }
    }

    /// The stored payload of `updateID` (for tests).
    func storedPayload(updateID: Int64) throws -> Data? {
        try db.query("SELECT payload FROM inbox WHERE update_id = ?", .integer(updateID)) { $0.blob(0) }.first
    }

    /// True when update `updateID` is stored and handled.
    public func isHandled(updateID: Int64) throws -> Bool {
        try db.query("SELECT status FROM inbox WHERE update_id = ?", .integer(updateID)) { $0.int(0) }.first == 1
    }

    /// Handled-update count, for tests and `pollbot stats`.
    public func handledCount() throws -> Int {
        try db.query("SELECT count(*) FROM inbox WHERE status = 1") { $0.int(0) }.first ?? 0
    }

    /// How long failed updates stay for the operator: longer than handled ones, so a weekend does not lose them.
    public static let failedRetention: TimeInterval = 7 * 86_400

    /// Forgets handled updates older than `age` (Telegram never resends them after 24 h), failed ones after `failedAge`.
    public func pruneInbox(olderThan age: TimeInterval, failedOlderThan failedAge: TimeInterval = failedRetention,
                           now: Date = Date()) throws {
        let seconds = now.timeIntervalSince1970
        try db.run("DELETE FROM inbox WHERE (status IN (1, 2) AND received_at < ?) OR (status = 3 AND received_at < ?)",
                   .real(seconds - age), .real(seconds - failedAge))
    }
}

/// What the dispatcher may do with an update whose handler is about to start.
public enum AttemptStart: Sendable, Equatable {
    /// Run the handler; the start is counted.
    case run
    /// Handlers started `attempts` times and never finished (crashes, kills): give it up.
    case exhausted(attempts: Int)
    /// Handled, given up, or never recorded: nothing to do.
    case settled
}
