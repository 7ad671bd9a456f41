import Foundation

/// What the readiness test and the scrape-time gauges ask the store: queue depths and a write probe.
extension BotStore {
    /// Undelivered outbox rows, and how long the oldest has waited (0 when there is none).
    public func outboxBacklog(now: Date = Date()) throws -> (depth: Int, oldestAge: TimeInterval) {
        try db.query("SELECT count(*), min(created_at) FROM outbox") { row in
            (row.int(0), row.isNull(1) ? 0 : max(0, now.timeIntervalSince1970 - row.double(1)))
        }.first ?? (0, 0)
    }

    /// Recorded updates not yet handled.
    public func inboxPending() throws -> Int {
        try db.query("SELECT count(*) FROM inbox WHERE status = 0") { $0.int(0) }.first ?? 0
    }

    /// Open conversations.
    public func openConversations() throws -> Int {
        try db.query("SELECT count(*) FROM conversations") { $0.int(0) }.first ?? 0
    }

    /// Commits one small row: throws when the database cannot be written (a full disk, a read-only mount).
    public func probeWrite(now: Date = Date()) throws {
        try setMeta("ready_probe_at", String(now.timeIntervalSince1970))
    }
}

extension BotStore {
    /// How many conversations ever ended, by outcome (the daily counts summed; they are never deleted).
    public func conversationEnds() throws -> [ConversationOutcome: Int] {
        let columns = ConversationOutcome.allCases.map { "coalesce(sum(\($0.rawValue)), 0)" }.joined(separator: ", ")
        let totals = try db.query("SELECT \(columns) FROM conversation_stats") { row in
            ConversationOutcome.allCases.indices.map { row.int(Int32($0)) }
        }.first ?? []
        return Dictionary(uniqueKeysWithValues: zip(ConversationOutcome.allCases, totals))
    }
}
