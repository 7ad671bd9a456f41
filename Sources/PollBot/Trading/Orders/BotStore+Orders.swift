import BotKit
import Foundation

/// What a Confirm press found, decided in one transaction.
public enum ConfirmOutcome: Sendable, Equatable {
    /// The press confirmed the order; the intent is committed in state `sending`.
    case confirmed(OrderIntent)
    /// The press confirmed an action other than a placement (cancel, modify, cancel all, close all, mode switch).
    case confirmedAction(PendingOrder)
    /// An earlier press (a double tap, a replayed update, another device) confirmed it; its intent's state, if any.
    case alreadyConfirmed(OrderIntent.State?)
    /// The press that confirmed this placement came again (its update replayed after a crash) and the intent, as
    /// stored, has an outcome its press may never have told (any but a `placed` whose id went out before its claim):
    /// the verdict is told again, nothing is sent.
    case replayed(OrderIntent)
    /// The press that confirmed this action came again: `outcome` is the verdict its user was told, nil when the
    /// action was claimed for its broker call and never finished (it may or may not have been done).
    case replayedAction(PendingOrder, outcome: String?)
    /// The press reached the bot after the confirmation's time limit.
    case expired
    case cancelled
    /// The press is not from the user the order was previewed for.
    case notOwner
    /// The user's active account is no longer the one the preview was for.
    case accountChanged
    /// The user already has `count` orders counted today, the daily limit; the confirmation stays pending.
    case limitReached(count: Int)
    /// No such confirmation.
    case unknown
}

/// The order flow's rows: confirmations, intents and the audit.
extension BotStore {
    /// Stores a confirmation waiting for its button, with its preview's audit row.
    public func savePendingOrder(_ order: PendingOrder, audit: OrderAuditEntry) throws {
        let draft = order.action.draft.flatMap(OrderDraftText.encoded) ?? "", action = PendingActionText.encoded(order.action)
        guard !draft.isEmpty || action != nil else { throw UserError("This order cannot be stored.") }
        try db.transaction {
            try db.run("""
                INSERT INTO order_confirmations(id, user_id, chat_id, account, draft, created_at, expires_at, state, action, host)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, .text(order.id), .integer(order.userID), .integer(order.chatID), .text(order.account), .text(draft),
                .real(order.createdAt.timeIntervalSince1970), .real(order.expiresAt.timeIntervalSince1970), .text(order.state.rawValue),
                action.map(SQLValue.text) ?? .null, order.host.map(SQLValue.text) ?? .null)
            try insertAudit(audit)
        }
    }

    /// Decides a Confirm press that reached the bot at `receivedAt`: in one transaction the confirmation goes from
    /// pending to confirmed and, for a placement, the intent `clientID` is committed, so two presses can never both confirm.
    /// With `dailyLimit`, a placement is refused when the user's orders counted since `dailyLimit.since` reach its `max`:
    /// counted in the same transaction, so previews opened together cannot outrun the limit. `pressID` (the callback
    /// query id) is recorded with the confirmation: the same press again gets `.replayed`/`.replayedAction` when there
    /// is a verdict it may never have told, any other press (or a nil `pressID`) `.alreadyConfirmed`.
    public func confirmOrder(id: String, by userID: Int64, account: String, host: String? = nil, receivedAt: Date, clientID: String, now: Date,
                             dailyLimit: (max: Int, since: Date)? = nil, pressID: String? = nil) throws -> ConfirmOutcome {
        try db.transaction {
            guard let pending = try pendingOrder(id: id) else { return .unknown }
            let fields = pending.action.auditFields
            // Refused and replayed presses are audited too: a stranger's press or a second tap is part of the order's story.
            func refused(_ outcome: ConfirmOutcome, _ reply: String, event: String = "refused press") throws -> ConfirmOutcome {
                try insertAudit(OrderAuditEntry(at: now, userID: userID, account: pending.account, event: event, fields: fields,
                                                reply: reply))
                return outcome
            }
            guard pending.userID == userID else { return try refused(.notOwner, "pressed by user \(userID), not the owner") }
            // Only the confirming press's own replay repeats the verdict: a double tap repeating it would break the
            // bound on repeated replies.
            let confirming: (pressID: String?, outcome: String?) = try pressID != nil && pending.state != .pending ? confirmingPress(id) : (nil, nil)
            let samePress = pressID != nil && confirming.pressID == pressID
            switch pending.state {
            case .confirmed where pending.action.draft == nil:
                // Committed but never claimed for sending: the process died in between, and this is the press replayed.
                break
            case .sending where samePress:
                return try refused(.replayedAction(pending, outcome: nil), "its call was cut short; nothing sent again", event: "replayed press")
            case .done where samePress && confirming.outcome != nil:
                return try refused(.replayedAction(pending, outcome: confirming.outcome), "verdict told again", event: "replayed press")
            case .sending, .done:
                return try refused(.alreadyConfirmed(nil), "pressed again; already confirmed (\(pending.state.rawValue))")
            case .confirmed:
                let intent = try intents(where: "confirmation_id = ?", .text(id)).first
                // A placed order's id went out through the durable progress message before its claim was committed, so
                // repeating it would only be a duplicate (OrderPlacedNewsTests); but one the press's own check found is
                // claimed first and told after, so a kill in between leaves this replay the only one to tell it.
                if samePress, let intent, !intent.state.isUnresolved, intent.state != .placed || intent.message == OrderDesk.foundInBook {
                    return try refused(.replayed(intent), "verdict (\(intent.state.rawValue)) told again",
                                       event: "replayed press")
                }
                let state = intent?.state
                return try refused(.alreadyConfirmed(state), "pressed again; already confirmed\(state.map { " (\($0.rawValue))" } ?? "")")
            case .expired: return .expired
            case .cancelled: return .cancelled
            case .pending: break
            }
            guard receivedAt <= pending.expiresAt else {
                try db.run("UPDATE order_confirmations SET state = 'expired' WHERE id = ?", .text(id))
                try insertAudit(OrderAuditEntry(at: now, userID: userID, account: pending.account, event: "expired", fields: fields,
                                                reply: "pressed \(Int(receivedAt.timeIntervalSince(pending.createdAt))) s after the preview"))
                return .expired
            }
            guard pending.account == account else {
                return try refused(.accountChanged, "the active account is now \(account), not \(pending.account)")
            }
            // Relinking the same account name to another OpenAlgo between preview and confirm must not redirect the order.
            if let previewed = pending.host, let host, previewed != host {
                return try refused(.accountChanged, "account \(account) now points at \(host), not \(previewed) as previewed")
            }
            if let dailyLimit, pending.action.draft != nil {
                let count = try ordersCounted(of: userID, since: dailyLimit.since)
                guard count < dailyLimit.max else {
                    return try refused(.limitReached(count: count), "max_orders_per_day: \(count) of \(dailyLimit.max) orders placed today")
                }
            }
            try db.run("UPDATE order_confirmations SET state = 'confirmed', press_id = ? WHERE id = ?", pressID.map(SQLValue.text) ?? .null,
                       .text(id))
            guard let draft = pending.action.draft else {
                try insertAudit(OrderAuditEntry(at: now, userID: userID, account: pending.account, event: "confirm", fields: fields,
                                                reply: "confirmation \(id)"))
                return .confirmedAction(pending)
            }
            let intent = OrderIntent(clientID: clientID, confirmationID: id, userID: userID, chatID: pending.chatID, account: pending.account,
                                     draft: draft, createdAt: now, state: .sending, baseline: nil, brokerOrderID: nil, message: "")
            try db.run("""
                INSERT INTO order_intents(client_id, confirmation_id, user_id, chat_id, account, draft, created_at, state, updated_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, 'sending', ?)
                """, .text(clientID), .text(id), .integer(userID), .integer(pending.chatID), .text(pending.account),
                .text(OrderDraftText.encoded(draft) ?? ""), .real(now.timeIntervalSince1970), .real(now.timeIntervalSince1970))
            try insertAudit(OrderAuditEntry(at: now, userID: userID, account: pending.account, event: "confirm", fields: fields,
                                            reply: "intent \(clientID)"))
            return .confirmed(intent)
        }
    }

    /// Claims the confirmed action `id` for its one broker call: true for exactly one caller, and never again after.
    /// The claiming press `pressID` becomes the confirming one, whose replay repeats the verdict.
    public func startAction(id: String, pressID: String? = nil) throws -> Bool {
        try db.run("UPDATE order_confirmations SET state = 'sending', press_id = COALESCE(?, press_id) WHERE id = ? AND state = 'confirmed'",
                   pressID.map(SQLValue.text) ?? .null, .text(id)) == 1
    }

    /// Records that the claimed action `id` has its outcome, `outcome` (the HTML its user is told), kept for a replay
    /// of the confirming press.
    public func finishAction(id: String, outcome: String) throws {
        try db.run("UPDATE order_confirmations SET state = 'done', outcome = ? WHERE id = ? AND state = 'sending'", .text(outcome), .text(id))
    }

    /// Forgets which press confirmed `id`: the startup check tells the verdict of an intent a crash left open, so the
    /// replay of its press must not tell it again.
    public func forgetConfirmingPress(of id: String) throws {
        try db.run("UPDATE order_confirmations SET press_id = NULL WHERE id = ?", .text(id))
    }

    /// The press that confirmed `id` and the action's recorded verdict; NULLs on rows from before they were kept.
    private func confirmingPress(_ id: String) throws -> (pressID: String?, outcome: String?) {
        try db.query("SELECT press_id, outcome FROM order_confirmations WHERE id = ?", .text(id)) { row -> (String?, String?) in
            (row.isNull(0) ? nil : row.text(0), row.isNull(1) ? nil : row.text(1))
        }.first ?? (nil, nil)
    }

    /// Marks a pending confirmation cancelled by its owner; false when it was no longer pending.
    public func cancelPendingOrder(id: String, by userID: Int64, now: Date) throws -> Bool {
        try db.transaction {
            guard let pending = try pendingOrder(id: id), pending.userID == userID, pending.state == .pending else { return false }
            try db.run("UPDATE order_confirmations SET state = 'cancelled' WHERE id = ?", .text(id))
            try insertAudit(OrderAuditEntry(at: now, userID: userID, account: pending.account, event: "cancel",
                                            fields: pending.action.auditFields))
            return true
        }
    }

    /// The confirmation `id`, nil when there is none or its action no longer reads as a sane one.
    public func pendingOrder(id: String) throws -> PendingOrder? {
        try db.query("""
            SELECT id, user_id, chat_id, account, draft, created_at, expires_at, state, action, host FROM order_confirmations WHERE id = ?
            """, .text(id)) { row -> PendingOrder? in
            guard let action = PendingActionText.decoded(draft: row.text(4), action: row.isNull(8) ? nil : row.text(8)),
                  let state = PendingOrder.State(rawValue: row.text(7)) else { return nil }
            return PendingOrder(id: row.text(0), userID: row.int64(1), chatID: row.int64(2), account: row.text(3), action: action,
                                createdAt: Date(timeIntervalSince1970: row.double(5)), expiresAt: Date(timeIntervalSince1970: row.double(6)),
                                state: state, host: row.isNull(9) ? nil : row.text(9))
        }.first ?? nil
    }

    /// Stores the ids of the matching orders already in the book before the intent is sent.
    public func setBaseline(_ ids: [String], of clientID: String, now: Date) throws {
        let text = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
        try db.run("UPDATE order_intents SET baseline = ?, updated_at = ? WHERE client_id = ?", .text(text), .real(now.timeIntervalSince1970),
                   .text(clientID))
    }

    /// Records an intent's outcome with its audit row. Claiming a broker order id another intent holds fails and
    /// changes nothing: false.
    @discardableResult
    public func resolveIntent(_ clientID: String, state: OrderIntent.State, brokerOrderID: String? = nil, message: String,
                              audit: OrderAuditEntry) throws -> Bool {
        try db.transaction {
            if let brokerOrderID {
                let holders = try db.query("SELECT client_id FROM order_intents WHERE broker_order_id = ? AND client_id != ?",
                                           .text(brokerOrderID), .text(clientID)) { $0.text(0) }
                guard holders.isEmpty else { return false }
            }
            try db.run("""
                UPDATE order_intents SET state = ?, broker_order_id = COALESCE(?, broker_order_id), message = ?, updated_at = ?
                WHERE client_id = ?
                """, .text(state.rawValue), brokerOrderID.map(SQLValue.text) ?? .null, .text(message),
                .real(audit.at.timeIntervalSince1970), .text(clientID))
            try insertAudit(audit)
            return true
        }
    }

    /// The intent `clientID`.
    public func orderIntent(_ clientID: String) throws -> OrderIntent? {
        try intents(where: "client_id = ?", .text(clientID)).first
    }

    /// Every intent whose outcome is still open (`sending` or `unknown`), oldest first.
    public func unresolvedIntents() throws -> [OrderIntent] {
        try intents(where: "state IN ('sending', 'unknown')")
    }

    /// Broker order ids claimed by intents other than `clientID`.
    public func claimedOrderIDs(except clientID: String) throws -> Set<String> {
        Set(try db.query("SELECT broker_order_id FROM order_intents WHERE broker_order_id IS NOT NULL AND client_id != ?",
                         .text(clientID)) { $0.text(0) })
    }

    /// Orders the user confirmed since `start` that were not refused or found never placed: what max_orders_per_day
    /// counts. An intent left unchecked (its account gone) may have been placed, so it counts.
    public func ordersCounted(of userID: Int64, since start: Date) throws -> Int {
        try db.query("""
            SELECT COUNT(*) FROM order_intents WHERE user_id = ? AND created_at >= ? AND state NOT IN ('rejected', 'failed')
            """, .integer(userID), .real(start.timeIntervalSince1970)) { $0.int(0) }.first ?? 0
    }

    /// Adds one audit row.
    public func auditOrder(_ entry: OrderAuditEntry) throws { try insertAudit(entry) }

    /// The audit rows since `start`, oldest first.
    public func orderAudit(since start: Date) throws -> [OrderAuditEntry] {
        try db.query("""
            SELECT at, user_id, account, event, fields, reply, error_id FROM order_audit WHERE at >= ? ORDER BY id
            """, .real(start.timeIntervalSince1970)) { row in
            OrderAuditEntry(at: Date(timeIntervalSince1970: row.double(0)), userID: row.int64(1), account: row.text(2), event: row.text(3),
                            fields: row.text(4), reply: row.text(5), errorID: row.text(6))
        }
    }

    private func insertAudit(_ entry: OrderAuditEntry) throws {
        try db.run("""
            INSERT INTO order_audit(at, user_id, account, event, fields, reply, error_id) VALUES(?, ?, ?, ?, ?, ?, ?)
            """, .real(entry.at.timeIntervalSince1970), .integer(entry.userID), .text(entry.account), .text(entry.event),
            .text(entry.fields), .text(String(entry.reply.prefix(1000))), .text(entry.errorID))
    }

    private func intents(where condition: String, _ values: SQLValue...) throws -> [OrderIntent] {
        let sql = """
            SELECT client_id, confirmation_id, user_id, chat_id, account, draft, created_at, state, baseline, broker_order_id, message,
                updated_at FROM order_intents WHERE \(condition) ORDER BY created_at
            """
        let read: (Row) -> OrderIntent? = { row in
            guard let draft = OrderDraftText.decoded(row.text(5)), let state = OrderIntent.State(rawValue: row.text(7)) else { return nil }
            let baseline = row.isNull(8) ? nil : try? JSONDecoder().decode([String].self, from: Data(row.text(8).utf8))
            return OrderIntent(clientID: row.text(0), confirmationID: row.text(1), userID: row.int64(2), chatID: row.int64(3),
                               account: row.text(4), draft: draft, createdAt: Date(timeIntervalSince1970: row.double(6)), state: state,
                               baseline: baseline, brokerOrderID: row.isNull(9) ? nil : row.text(9), message: row.text(10),
                               updatedAt: Date(timeIntervalSince1970: row.double(11)))
        }
        switch values.count {
        case 0: return try db.query(sql, row: read).compactMap { $0 }
        default: return try db.query(sql, values[0], row: read).compactMap { $0 }
        }
    }
}
