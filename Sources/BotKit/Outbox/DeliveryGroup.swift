import Foundation

/// How a message of a delivery group left the outbox.
public enum DeliveryGroupOutcome: String, Sendable, Equatable {
    /// Telegram accepted it.
    case sent
    /// The chat blocked the bot (403) or left: the row was dropped with the chat's others.
    case blocked
    /// Telegram refused it for good for another reason.
    case failed
}

/// Where a delivery group stands: how many of its messages went, were blocked or failed, and how many still wait.
public struct DeliveryGroupCounts: Sendable, Equatable {
    public var sent = 0
    public var blocked = 0
    public var failed = 0
    /// Still in the outbox.
    public var pending = 0

    public init(sent: Int = 0, blocked: Int = 0, failed: Int = 0, pending: Int = 0) {
        self.sent = sent
        self.blocked = blocked
        self.failed = failed
        self.pending = pending
    }

    /// Every message of the group, finished or not.
    public var total: Int { sent + blocked + failed + pending }
}

/// Delivery groups: outbox rows tagged with `OutgoingMessage.inDeliveryGroup`, whose outcomes the sender records as it
/// finishes them, so an app can report progress on many messages as one (across restarts: the counts are rows).
extension BotStore {
    /// The counts of `group`; a tagged row that left the outbox without an outcome (removed by hand) counts as failed.
    public func deliveryCounts(_ group: String) throws -> DeliveryGroupCounts {
        let rows = try db.query("""
            SELECT d.outcome, o.id IS NOT NULL, count(*) FROM delivery_items d LEFT JOIN outbox o ON o.id = d.outbox_id
            WHERE d.group_name = ? GROUP BY 1, 2
            """, .text(group)) { row in
            (outcome: row.isNull(0) ? nil : DeliveryGroupOutcome(rawValue: row.text(0)), queued: row.int(1) == 1, count: row.int(2))
        }
        var counts = DeliveryGroupCounts()
        for row in rows {
            switch row.outcome {
            case .sent: counts.sent += row.count
            case .blocked: counts.blocked += row.count
            case .failed: counts.failed += row.count
            case nil: if row.queued { counts.pending += row.count } else { counts.failed += row.count }
            }
        }
        return counts
    }

    /// Drops `group`'s records once its counts have been reported; runs inside a caller's transaction (a job's store work).
    public func forgetDeliveryGroup(_ group: String) throws {
        try db.run("DELETE FROM delivery_items WHERE group_name = ?", .text(group))
    }

    /// Sets the outcome of the grouped rows `condition` selects that have none yet; part of the caller's transaction.
    func recordDeliveryOutcome(_ outcome: DeliveryGroupOutcome, where condition: String, _ value: SQLValue) throws {
        try db.run("UPDATE delivery_items SET outcome = ? WHERE outcome IS NULL AND \(condition)", .text(outcome.rawValue), value)
    }
}
