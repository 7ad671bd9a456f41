import BotKit
import Foundation
import Logging

/// The guarded order flow: preview with risk checks, a stored confirmation bound to its user and time limit, an intent
/// committed before the one broker call, reconciliation when the outcome is unknown, and the audit of each step.
public struct OrderDesk: Sendable {
    public let settings: TradingSettings
    public let admins: [Int64]
    public let store: BotStore
    public let hub: TradingHub
    public let timing: OrderTiming
    public let calendar: MarketCalendar

    public init(settings: TradingSettings, admins: [Int64], store: BotStore, hub: TradingHub, timing: OrderTiming = .live,
                calendar: MarketCalendar = .india) {
        self.settings = settings
        self.admins = admins
        self.store = store
        self.hub = hub
        self.timing = timing
        self.calendar = calendar
    }

    /// The desk of a running bot.
    public init(services: TraderServices) {
        self.init(settings: services.config.trading, admins: services.config.security.admins, store: services.store,
                  hub: services.trading, timing: services.orderTiming)
    }

    var format: DisplayFormat { DisplayFormat(currency: hub.broker.currency, timeZone: hub.broker.timeZone) }

    /// Previews `draft` for `userID` in `chatID`: the gate, the LTP, each risk check; when all pass, a confirmation is
    /// stored and the proposal carries its Confirm and Cancel buttons. Callable from a command or a conversation step.
    public func propose(_ draft: OrderDraft, userID: Int64, chatID: Int64) async throws -> OrderProposal {
        if let refusal = TradingGate.refusal(for: userID, settings: settings, admins: admins) {
            return OrderProposal(html: HTML.escape(refusal), keyboard: nil, confirmationID: nil)
        }
        do {
            try OrderRequest(draft, strategy: OrderRequest.defaultStrategy).validate()
        } catch let error as BrokerError {
            throw UserError(HTML.escape(error.description.replacingOccurrences(of: "OpenAlgo refused the request: ", with: "This order cannot be sent: ")))
        }
        guard draft.lots != nil else { throw UserError("The quantity \(draft.quantity) is not a whole number of lots of \(draft.lotSize).") }
        let session = try await hub.session(userID: userID)
        let now = timing.now()
        let ltp = try? await session.broker.quote(draft.instrument).ltp
        let today = calendar.midnight(of: calendar.day(of: now))
        let checks = RiskChecks(settings: settings, calendar: calendar, format: session.format)
            .evaluate(draft, ltp: ltp, ordersToday: try await store.ordersCounted(of: userID, since: today), now: now)
        let html = OrderPreviewText.html(draft, heading: session.heading("Order preview"), ltp: ltp, checks: checks,
                                         confirmSeconds: settings.confirmSeconds, format: session.format)
        let fields = OrderAuditEntry.fields(draft)
        guard checks.allSatisfy(\.passed) else {
            let failed = checks.filter { !$0.passed }.map { "\($0.key): \($0.reason)" }.joined(separator: "; ")
            try await store.auditOrder(OrderAuditEntry(at: now, userID: userID, account: session.accountName, event: "blocked", fields: fields,
                                                       reply: failed))
            return OrderProposal(html: html, keyboard: nil, confirmationID: nil)
        }
        return try await awaitConfirmation(.place(draft), html: html, userID: userID, chatID: chatID, session: session)
    }

    /// Stores a confirmation of `action` (with its preview's audit row) and returns `html` with its Confirm and Cancel
    /// buttons: every order action is confirmed through this one mechanism.
    /// The confirmation is bound to the session's account and host: a press after either changed sends nothing.
    func awaitConfirmation(_ action: PendingAction, html: String, userID: Int64, chatID: Int64, session: TradingSession) async throws
        -> OrderProposal {
        let now = timing.now(), account = session.accountName
        let pending = PendingOrder(id: OrderTables.newID(), userID: userID, chatID: chatID, account: account, action: action,
                                   createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(settings.confirmSeconds)), state: .pending,
                                   host: session.broker.host)
        try await store.savePendingOrder(pending, audit: OrderAuditEntry(at: now, userID: userID, account: account,
                                                                         event: "preview", fields: action.auditFields,
                                                                         reply: "confirmation \(pending.id)"))
        let keyboard = InlineKeyboard([[
            .init("\u{2705} Confirm", data: CallbackData(owner: userID, action: "\(OrderButtons.prefix):ok:\(pending.id)").encoded),
            .init("\u{2716} Cancel", data: CallbackData(owner: userID, action: "\(OrderButtons.prefix):no:\(pending.id)").encoded),
        ]])
        return OrderProposal(html: html, keyboard: keyboard, confirmationID: pending.id)
    }

    /// What a Confirm press led to: a short toast, and the message telling the outcome (nil when there is nothing to add).
    public struct PressResult: Sendable, Equatable {
        public var toast: String
        public var html: String?
        /// True when this press placed (or tried to place) the order.
        public var sent: Bool
    }

    /// Handles a Confirm press that reached the bot at `receivedAt`. Only the press that moves the confirmation from
    /// pending to confirmed sends anything, and it sends once. `progress` queues a message durably at once (a slow
    /// step's "checking…", an order id as soon as it is known, the verdict when this press is cut short). `pressID`
    /// (the callback query id) tells the confirming press's replay after a crash, which is told a recorded verdict
    /// that may never have reached its user, from another press, which only hears it was already confirmed.
    public func confirm(_ id: String, userID: Int64, receivedAt: Date, logger: Logger, pressID: String? = nil,
                        progress: @escaping @Sendable (String) async -> Void = { _ in }) async throws -> PressResult {
        let found = try await store.pendingOrder(id: id)
        // A mode switch is the one action admins may take while trading is off.
        let gate = found?.action.isModeSwitch == true ? TradingGate.modeRefusal : TradingGate.refusal
        if let refusal = gate(userID, settings, admins) {
            return PressResult(toast: refusal, html: nil, sent: false)
        }
        // The owner is checked before the account is opened: a stranger's press opens nothing of the owner's.
        guard let pending = found else {
            return PressResult(toast: "This button is no longer active.", html: nil, sent: false)
        }
        guard pending.userID == userID else {
            // Through the store only to audit it; the owner's account is never opened.
            _ = try? await store.confirmOrder(id: id, by: userID, account: "", receivedAt: receivedAt, clientID: "", now: timing.now())
            return PressResult(toast: "This button is not for you.", html: nil, sent: false)
        }
        let session = try await hub.session(userID: userID)
        if pending.state == .pending, receivedAt <= pending.expiresAt, pending.account == session.accountName,
           let draft = pending.action.draft, let blocked = await recheck(draft, pending: pending, session: session) {
            return blocked
        }
        let now = timing.now()
        let outcome = try await store.confirmOrder(id: id, by: userID, account: session.accountName, host: session.broker.host,
                                                   receivedAt: receivedAt,
                                                   clientID: "pb-" + OrderTables.newID(), now: now,
                                                   dailyLimit: (settings.maxOrdersPerDay, calendar.midnight(of: calendar.day(of: now))),
                                                   pressID: pressID)
        switch outcome {
        case .unknown: return PressResult(toast: "This button is no longer active.", html: nil, sent: false)
        case .notOwner: return PressResult(toast: "This button is not for you.", html: nil, sent: false)
        case .cancelled:
            return PressResult(toast: pending.action.draft == nil ? "This was cancelled; nothing was sent."
                               : "This order was cancelled; send it again if you want it.", html: nil, sent: false)
        case .expired where pending.action.draft == nil:
            return PressResult(toast: "This confirmation expired; \(pending.action.retry).",
                               html: "This confirmation expired (after \(settings.confirmSeconds) s), so nothing was sent; \(pending.action.retry).",
                               sent: false)
        case .expired:
            return PressResult(toast: "This confirmation expired; send the order again.",
                               html: "This confirmation expired (after \(settings.confirmSeconds) s), so nothing was placed; send the order again.",
                               sent: false)
        case .accountChanged:
            return PressResult(toast: "Your active account changed since this preview; \(pending.action.retry).", html: nil, sent: false)
        case .limitReached(let count):
            return PressResult(toast: "Daily order limit reached; nothing was sent.",
                               html: "Not sent: max_orders_per_day is \(settings.maxOrdersPerDay) and you already have \(count) "
                                   + "order\(count == 1 ? "" : "s") today (counted when you confirm, not at the preview).",
                               sent: false)
        case .replayed(let intent):
            return PressResult(toast: "Confirmed", html: Self.replayVerdict(intent, format: session.format), sent: false)
        case .replayedAction(let confirmed, let outcome):
            guard let outcome else {
                return PressResult(toast: "Cut short by a restart; nothing was sent again.", html: Self.cutShortByRestart(confirmed.action),
                                   sent: false)
            }
            return PressResult(toast: "Confirmed", html: outcome, sent: false)
        case .alreadyConfirmed where pending.action.draft == nil:
            return PressResult(toast: "Already confirmed; nothing was sent again.", html: nil, sent: false)
        case .alreadyConfirmed(let state):
            return PressResult(toast: "Already confirmed" + (state.map { " (\($0.rawValue))" } ?? "") + "; no second order was sent.",
                               html: nil, sent: false)
        case .confirmed(let intent):
            let redact = KeyRedaction(key: await hub.keyForRedaction(userID: userID, account: session.accountName))
            let html = await OrderHandoff.run(deliver: progress) { [self] in
                await send(intent, session: session, logger: logger, redact: redact, progress: progress)
            }
            return PressResult(toast: "Confirmed", html: html ?? Self.cutShort, sent: true)
        case .confirmedAction(let confirmed):
            // Two presses (or a press and its replay) can both get here; only the one that claims it sends.
            guard try await store.startAction(id: confirmed.id, pressID: pressID) else {
                return PressResult(toast: "Already confirmed; nothing was sent again.", html: nil, sent: false)
            }
            let redact = KeyRedaction(key: await hub.keyForRedaction(userID: userID, account: session.accountName))
            let html = await OrderHandoff.run(deliver: progress) { [self] in
                let html = await perform(confirmed, session: session, logger: logger, redact: redact, progress: progress)
                try? await store.finishAction(id: confirmed.id, outcome: html)
                return html
            }
            return PressResult(toast: "Confirmed", html: html ?? Self.cutShort, sent: true)
        }
    }

    /// The reply of a press cut short while its broker work goes on; the outcome follows as its own message.
    static let cutShort = "Sent to OpenAlgo; still checking the outcome. I will send it here as soon as I know."

    /// The checks that depend on when the order goes out, run again at the press: the market may have closed and the
    /// LTP moved since the preview. A failure sends nothing and says why; nil when the order may go.
    private func recheck(_ draft: OrderDraft, pending: PendingOrder, session: TradingSession) async -> PressResult? {
        let now = timing.now()
        let ltp = draft.price == nil ? nil : try? await session.broker.quote(draft.instrument).ltp
        let failed = RiskChecks(settings: settings, calendar: calendar, format: session.format)
            .evaluate(draft, ltp: ltp, ordersToday: 0, now: now)
            .filter { ["market_hours_only", "price_band_percent"].contains($0.key) && !$0.passed }
        guard !failed.isEmpty else { return nil }
        let reasons = failed.map { "\($0.key): \($0.reason)" }.joined(separator: "; ")
        try? await store.auditOrder(OrderAuditEntry(at: now, userID: pending.userID, account: pending.account, event: "blocked at confirm",
                                                    fields: OrderAuditEntry.fields(draft), reply: reasons))
        return PressResult(toast: "Blocked: nothing was sent.",
                           html: "Not sent: a check failed when you confirmed.\n" + failed.map { "\u{2718} \($0.key): \(HTML.escape($0.reason))" }
                               .joined(separator: "\n"),
                           sent: false)
    }

    /// Cancels a pending confirmation; the toast says whether it was still pending.
    public func cancel(_ id: String, userID: Int64) async throws -> String {
        try await store.cancelPendingOrder(id: id, by: userID, now: timing.now()) ? "Cancelled; nothing was sent." : "This order is no longer waiting."
    }

    /// Sends a committed intent once and tells what became of it; broker texts pass through `redact` before they are
    /// logged, audited or shown, and the order id goes out through `progress` as soon as it is recorded.
    func send(_ intent: OrderIntent, session: TradingSession, logger: Logger, redact: KeyRedaction,
              progress: @escaping @Sendable (String) async -> Void = { _ in }) async -> String {
        let fields = OrderAuditEntry.fields(intent.draft)
        func audit(_ event: String, _ reply: String, errorID: String = "") -> OrderAuditEntry {
            OrderAuditEntry(at: timing.now(), userID: intent.userID, account: intent.account, event: event, fields: fields, reply: reply,
                            errorID: errorID)
        }
        let line = "<code>\(OrderDraftText.line(intent.draft, format: session.format))</code>"
        // The book before sending: whatever matches later and is not in it was placed after this intent.
        var intent = intent
        do {
            let baseline = try await session.broker.orderBook().orders.filter { OrderReconciler.matches($0, intent.draft) }.map(\.orderID)
            try await store.setBaseline(baseline, of: intent.clientID, now: timing.now())
            intent.baseline = baseline
        } catch {
            let error = redact(error)
            let errorID = ErrorID.make()
            logger.warning("order book unreadable before sending", metadata: ["error_id": "\(errorID)", "error": "\(error)"])
            let reason = "the order book could not be read first (\(error))"
            _ = try? await store.resolveIntent(intent.clientID, state: .failed, message: reason, audit: audit("failed", reason, errorID: errorID))
            return "\(line)\nNothing was placed: I could not read the order book before sending, and I never send an order I could not "
                + "reconcile afterwards. Try again in a moment. (error <code>\(errorID)</code>)"
        }
        let placement: OrderPlacement
        do {
            placement = try await session.broker.placeOrder(intent.request)
        } catch {
            let error = redact(error)
            guard let brokerError = error as? BrokerError, !Self.isUnknown(brokerError) else {
                // Unknown, or not a broker answer (a cancellation, a bug): the call may have gone out, so it is
                // reconciled, never re-sent.
                let errorID = ErrorID.make()
                logger.warning("order outcome unknown", metadata: ["error_id": "\(errorID)", "intent": "\(intent.clientID)", "error": "\(error)"])
                let unknown = audit("unknown", "\(error)", errorID: errorID)
                _ = try? await store.resolveIntent(intent.clientID, state: .unknown, message: "\(error)", audit: unknown)
                // The grace for the order to appear in the book starts now, after the broker's whole time limit.
                intent.updatedAt = unknown.at
                // The check takes seconds: the user hears why at once, then the verdict.
                await progress("\(line)\nOpenAlgo did not confirm; checking\u{2026}")
                return "\(line)\n\(await reconcile(intent, session: session, redact: redact, patient: true, tell: progress))"
            }
            // The broker answered and refused (rejected), or the call never went out (failed): either way nothing was placed.
            let state: OrderIntent.State = switch brokerError {
            case .invalidRequest, .rejectedKey, .rateLimited: .rejected
            default: .failed
            }
            _ = try? await store.resolveIntent(intent.clientID, state: state, message: "\(brokerError)", audit: audit("refused", "\(brokerError)"))
            let reason = BrokerFailure(brokerError, account: intent.account, broker: session.broker, settings: hub.broker).userHTML
            return "\(line)\nNot placed: \(reason)"
        }
        return await placed(intent, placement, line: line, session: session, redact: redact, progress: progress) { audit($0, $1) }
    }

    static func isUnknown(_ error: BrokerError) -> Bool {
        if case .outcomeUnknown = error { return true }
        return false
    }

    private func placed(_ intent: OrderIntent, _ placement: OrderPlacement, line: String, session: TradingSession, redact: KeyRedaction,
                        progress: @escaping @Sendable (String) async -> Void, audit: (String, String) -> OrderAuditEntry) async -> String {
        let message = redact(placement.message)
        let said = message.isEmpty ? "" : " (\(HTML.escape(message)))"
        switch placement.outcome {
        case .placed(let orderID):
            // Told before the claim is recorded: told after it, a kill between the two commits left the intent placed and
            // its user never told (the replayed press only gets "already confirmed"; the full soak had one such confirm).
            // Killed here instead, the intent is still open and the startup check tells it again: a repeat, not a loss.
            await progress("\(line)\n<b>Placed</b>: order <code>\(HTML.escape(orderID))</code>\(said)")
            let claimed = try? await store.resolveIntent(intent.clientID, state: .placed, brokerOrderID: orderID, message: message,
                                                         audit: audit("placement", "order \(orderID) \(message)"))
            guard claimed != false else {
                // Another intent holds this id: one of the two is not what the broker says, and only the user can tell.
                let reason = "OpenAlgo answered order \(orderID), an id another order of this bot already holds"
                _ = try? await store.resolveIntent(intent.clientID, state: .ambiguous, message: reason, audit: audit("ambiguous", reason))
                return "\(line)\nOpenAlgo said it took this order as <code>\(HTML.escape(orderID))</code>, but that id already belongs "
                    + "to another of your orders, so I cannot tell whether this one was placed. Nothing was sent again; "
                    + "check /orderbook before sending it again."
            }
            let status = await followUp(intent, orderID, session: session)
            return "\(line) (order <code>\(HTML.escape(orderID))</code>)\n" + status
        case .queued(let pendingID):
            _ = try? await store.resolveIntent(intent.clientID, state: .queued, message: message,
                                               audit: audit("placement", "queued \(pendingID ?? "-") \(message)"))
            return "\(line)\n" + Self.queuedVerdict(said: said)
        case .simulated(let orderID):
            _ = try? await store.resolveIntent(intent.clientID, state: .simulated, message: message,
                                               audit: audit("placement", "simulated \(orderID ?? "-") \(message)"))
            return "\(line)\n" + Self.simulatedVerdict(detail: orderID.map { " (sandbox order <code>\(HTML.escape($0))</code>)" } ?? "")
        }
    }

    /// The verdict of an order OpenAlgo queued in its Action Center; `said` is OpenAlgo's message, escaped, in brackets.
    static func queuedVerdict(said: String) -> String {
        "<b>Queued for approval</b> in OpenAlgo's Action Center (semi-auto mode)\(said); it is not an order until approved there."
    }

    /// The verdict of an order OpenAlgo only simulated (analyze mode); `detail` is escaped HTML in brackets, or empty.
    static func simulatedVerdict(detail: String) -> String {
        "<b>Simulated</b>: OpenAlgo is in analyze mode, so nothing reached the exchange\(detail)."
    }

    /// Tells a recorded order id at once through `tell` (durable, so a crash during the status polls cannot swallow
    /// it), then returns only the status; without `tell` (the startup check) both go in the returned message.
    func announce(_ intent: OrderIntent, _ orderID: String, placedLine: String, session: TradingSession,
                  tell: (@Sendable (String) async -> Void)?) async -> String {
        guard let tell else { return placedLine + "\n" + (await followUp(intent, orderID, session: session)) }
        await tell(placedLine)
        let status = await followUp(intent, orderID, session: session)
        return "<code>\(OrderDraftText.line(intent.draft, format: session.format))</code> (order <code>\(HTML.escape(orderID))</code>)\n" + status
    }

    private func followUp(_ intent: OrderIntent, _ orderID: String, session: TradingSession) async -> String {
        let followUp = OrderFollowUp(timing: timing, format: session.format)
        let status = await followUp.poll(orderID, broker: session.broker)
        try? await store.auditOrder(OrderAuditEntry(at: timing.now(), userID: intent.userID, account: intent.account, event: "result",
                                                    fields: OrderAuditEntry.fields(intent.draft),
                                                    reply: status.map { "\($0.order.status) avg \($0.averagePrice) \($0.rejectionReason ?? "")" } ?? "no status"))
        return followUp.line(status)
    }
}
