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

    private var format: DisplayFormat { DisplayFormat(currency: hub.broker.currency, timeZone: hub.broker.timeZone) }

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
        return try await awaitConfirmation(.place(draft), html: html, userID: userID, chatID: chatID, account: session.accountName)
    }

    /// Stores a confirmation of `action` (with its preview's audit row) and returns `html` with its Confirm and Cancel
    /// buttons: every order action is confirmed through this one mechanism.
    func awaitConfirmation(_ action: PendingAction, html: String, userID: Int64, chatID: Int64, account: String) async throws -> OrderProposal {
        let now = timing.now()
        let pending = PendingOrder(id: OrderTables.newID(), userID: userID, chatID: chatID, account: account, action: action,
                                   createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(settings.confirmSeconds)), state: .pending)
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
    /// pending to confirmed sends anything, and it sends once. `progress` shows a message at once while a slow step runs.
    public func confirm(_ id: String, userID: Int64, receivedAt: Date, logger: Logger,
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
        guard pending.userID == userID else { return PressResult(toast: "This button is not for you.", html: nil, sent: false) }
        let session = try await hub.session(userID: userID)
        let outcome = try await store.confirmOrder(id: id, by: userID, account: session.accountName, receivedAt: receivedAt,
                                                   clientID: "pb-" + OrderTables.newID(), now: timing.now())
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
        case .alreadyConfirmed where pending.action.draft == nil:
            return PressResult(toast: "Already confirmed; nothing was sent again.", html: nil, sent: false)
        case .alreadyConfirmed(let state):
            return PressResult(toast: "Already confirmed" + (state.map { " (\($0.rawValue))" } ?? "") + "; no second order was sent.",
                               html: nil, sent: false)
        case .confirmed(let intent):
            return PressResult(toast: "Confirmed", html: await send(intent, session: session, logger: logger, progress: progress), sent: true)
        case .confirmedAction(let confirmed):
            return PressResult(toast: "Confirmed", html: await perform(confirmed, session: session, logger: logger, progress: progress),
                               sent: true)
        }
    }

    /// Cancels a pending confirmation; the toast says whether it was still pending.
    public func cancel(_ id: String, userID: Int64) async throws -> String {
        try await store.cancelPendingOrder(id: id, by: userID, now: timing.now()) ? "Cancelled; nothing was sent." : "This order is no longer waiting."
    }

    /// Sends a committed intent once and tells what became of it.
    func send(_ intent: OrderIntent, session: TradingSession, logger: Logger,
              progress: @Sendable (String) async -> Void = { _ in }) async -> String {
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
            let errorID = ErrorID.make()
            logger.warning("order book unreadable before sending", metadata: ["error_id": "\(errorID)", "error": "\(error)"])
            let reason = "the order book could not be read first (\(error))"
            _ = try? await store.resolveIntent(intent.clientID, state: .failed, message: reason, audit: audit("failed", reason, errorID: errorID))
            return "\(line)\nNothing was placed: I could not read the order book before sending, and I never send an order I could not "
                + "reconcile afterwards. Try again in a moment. (error <code>\(errorID)</code>)"
        }
        do {
            let placement = try await session.broker.placeOrder(intent.request)
            return await placed(intent, placement, line: line, session: session) { audit($0, $1) }
        } catch let error as BrokerError {
            if case .outcomeUnknown = error {
                let errorID = ErrorID.make()
                logger.warning("order outcome unknown", metadata: ["error_id": "\(errorID)", "intent": "\(intent.clientID)", "error": "\(error)"])
                _ = try? await store.resolveIntent(intent.clientID, state: .unknown, message: "\(error)",
                                                   audit: audit("unknown", "\(error)", errorID: errorID))
                // The check takes seconds: the user hears why at once, then the verdict.
                await progress("\(line)\nOpenAlgo did not confirm; checking\u{2026}")
                let found = await reconcile(intent, session: session)
                return "\(line)\n\(found)"
            }
            // The broker answered and refused (rejected), or the call never went out (failed): either way nothing was placed.
            let state: OrderIntent.State = switch error {
            case .invalidRequest, .rejectedKey, .rateLimited: .rejected
            default: .failed
            }
            _ = try? await store.resolveIntent(intent.clientID, state: state, message: "\(error)", audit: audit("refused", "\(error)"))
            let reason = BrokerFailure(error, account: intent.account, broker: session.broker, settings: hub.broker).userHTML
            return "\(line)\nNot placed: \(reason)"
        } catch {
            // Not a broker answer (a cancellation, a bug): the call may have gone out, so it is reconciled, never re-sent.
            _ = try? await store.resolveIntent(intent.clientID, state: .unknown, message: "\(error)", audit: audit("unknown", "\(error)"))
            await progress("\(line)\nOpenAlgo did not confirm; checking\u{2026}")
            return "\(line)\n\(await reconcile(intent, session: session))"
        }
    }

    private func placed(_ intent: OrderIntent, _ placement: OrderPlacement, line: String, session: TradingSession,
                        audit: (String, String) -> OrderAuditEntry) async -> String {
        let said = placement.message.isEmpty ? "" : " (\(HTML.escape(placement.message)))"
        switch placement.outcome {
        case .placed(let orderID):
            _ = try? await store.resolveIntent(intent.clientID, state: .placed, brokerOrderID: orderID, message: placement.message,
                                               audit: audit("placement", "order \(orderID) \(placement.message)"))
            return "\(line)\n<b>Placed</b>: order <code>\(HTML.escape(orderID))</code>\(said)\n" + (await followUp(intent, orderID, session: session))
        case .queued(let pendingID):
            _ = try? await store.resolveIntent(intent.clientID, state: .queued, message: placement.message,
                                               audit: audit("placement", "queued \(pendingID ?? "-") \(placement.message)"))
            return "\(line)\n<b>Queued for approval</b> in OpenAlgo's Action Center (semi-auto mode)\(said); it is not an order until approved there."
        case .simulated(let orderID):
            _ = try? await store.resolveIntent(intent.clientID, state: .simulated, message: placement.message,
                                               audit: audit("placement", "simulated \(orderID ?? "-") \(placement.message)"))
            return "\(line)\n<b>Simulated</b>: OpenAlgo is in analyze mode, so nothing reached the exchange"
                + (orderID.map { " (sandbox order <code>\(HTML.escape($0))</code>)" } ?? "") + "."
        }
    }

    private func followUp(_ intent: OrderIntent, _ orderID: String, session: TradingSession) async -> String {
        let followUp = OrderFollowUp(timing: timing, format: session.format)
        let status = await followUp.poll(orderID, broker: session.broker)
        try? await store.auditOrder(OrderAuditEntry(at: timing.now(), userID: intent.userID, account: intent.account, event: "result",
                                                    fields: OrderAuditEntry.fields(intent.draft),
                                                    reply: status.map { "\($0.order.status) avg \($0.averagePrice) \($0.rejectionReason ?? "")" } ?? "no status"))
        return followUp.line(status)
    }

    /// Reconciles an intent whose outcome is open and records the verdict; returns what to tell the user.
    func reconcile(_ intent: OrderIntent, session: TradingSession) async -> String {
        let fields = OrderAuditEntry.fields(intent.draft)
        func audit(_ reply: String) -> OrderAuditEntry {
            OrderAuditEntry(at: timing.now(), userID: intent.userID, account: intent.account, event: "reconciled", fields: fields, reply: reply)
        }
        let reconciler = OrderReconciler(store: store, timing: timing)
        switch await reconciler.reconcile(intent, broker: session.broker) {
        case .found(let orderID):
            guard (try? await store.resolveIntent(intent.clientID, state: .placed, brokerOrderID: orderID, message: "found in the order book",
                                                  audit: audit("found order \(orderID)"))) == true else {
                return "An order that may be this one (<code>\(HTML.escape(orderID))</code>) belongs to another of your orders; "
                    + "check /orderbook. Nothing was sent again."
            }
            return "<b>Placed</b>: OpenAlgo has it as order <code>\(HTML.escape(orderID))</code>.\n" + (await followUp(intent, orderID, session: session))
        case .notPlaced, .neverSent:
            _ = try? await store.resolveIntent(intent.clientID, state: .failed, message: "not in the order book", audit: audit("not placed"))
            return "Nothing was placed: no such order appeared in the order book. You may send it again."
        case .ambiguous(let ids):
            _ = try? await store.resolveIntent(intent.clientID, state: .ambiguous, message: "candidates \(ids.joined(separator: ","))",
                                               audit: audit("ambiguous: \(ids.joined(separator: ","))"))
            return "I cannot tell which order is this one: \(ids.count) matching orders appeared (\(ids.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))). "
                + "Nothing was sent again; check /orderbook and cancel any you did not mean."
        case .unreadable(let reason):
            try? await store.auditOrder(audit("order book unreadable: \(reason)"))
            return "I could not read the order book to check, so I do not know whether it was placed. Check /orderbook "
                + "before sending it again; I will check again when I restart."
        }
    }

    /// At startup, before any update is handled: every intent left `sending` or `unknown` is reconciled and its user
    /// told the verdict (the returned messages go to the outbox).
    public func reconcileUnresolved(logger: Logger) async -> [OutgoingMessage] {
        guard let intents = try? await store.unresolvedIntents(), !intents.isEmpty else { return [] }
        var messages: [OutgoingMessage] = []
        for intent in intents {
            let line = "<code>\(OrderDraftText.line(intent.draft, format: format))</code>"
            let verdict: String
            do {
                let session = try await hub.session(userID: intent.userID)
                guard session.accountName == intent.account else {
                    logger.warning("unresolved order on an account no longer active", metadata: ["intent": "\(intent.clientID)"])
                    messages.append(.text("After a restart I could not check an order on account <b>\(HTML.escape(intent.account))</b>:\n\(line)\n"
                                          + "it is no longer your active account. Check its order book in OpenAlgo before sending it again.",
                                          to: intent.chatID))
                    continue
                }
                verdict = await reconcile(intent, session: session)
            } catch {
                logger.warning("unresolved order not checked", metadata: ["intent": "\(intent.clientID)", "error": "\(error)"])
                verdict = "I could not check it (\(HTML.escape("\(error)"))); check /orderbook before sending it again."
            }
            messages.append(.text("After a restart I checked an order that was not confirmed:\n\(line)\n\(verdict)", to: intent.chatID))
        }
        return messages
    }
}
