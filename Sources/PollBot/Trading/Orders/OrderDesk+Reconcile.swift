import BotKit
import Foundation
import Logging
import Synchronization

/// Settling intents whose outcome is open: after a timeout during the press, and at startup for whatever a crash left.
extension OrderDesk {
    /// Reconciles an intent whose outcome is open and records the verdict; returns what to tell the user. A found order's
    /// id goes out through `tell` at once when there is one (see `announce`). With `patient`, a book that could not be
    /// read is read again after each of `timing.unreadableRetries`.
    func reconcile(_ intent: OrderIntent, session: TradingSession, redact: KeyRedaction, patient: Bool = false,
                   tell: (@Sendable (String) async -> Void)? = nil) async -> String {
        let fields = OrderAuditEntry.fields(intent.draft)
        func audit(_ reply: String) -> OrderAuditEntry {
            OrderAuditEntry(at: timing.now(), userID: intent.userID, account: intent.account, event: "reconciled", fields: fields, reply: reply)
        }
        let reconciler = OrderReconciler(store: store, timing: timing)
        var outcome = await reconciler.reconcile(intent, broker: session.broker)
        // The press's timeout often comes with the breaker opening (the host stopped answering), which fails every read
        // at once for its cool-down: given up then, the intent stayed open until a restart that may never come (the
        // chaos soak ended with ten). The startup check is not patient: it runs before any update is handled.
        for wait in patient ? timing.unreadableRetries : [] {
            guard case .unreadable = outcome else { break }
            await timing.pause(wait)
            outcome = await reconciler.reconcile(intent, broker: session.broker)
        }
        switch outcome {
        case .found(let orderID):
            guard (try? await store.resolveIntent(intent.clientID, state: .placed, brokerOrderID: orderID, message: Self.foundInBook,
                                                  audit: audit("found order \(orderID)"))) == true else {
                return "An order that may be this one (<code>\(HTML.escape(orderID))</code>) belongs to another of your orders; "
                    + "check /orderbook. Nothing was sent again."
            }
            return await announce(intent, orderID, placedLine: "<b>Placed</b>: OpenAlgo has it as order <code>\(HTML.escape(orderID))</code>.",
                                  session: session, tell: tell)
        case .notPlaced, .neverSent:
            _ = try? await store.resolveIntent(intent.clientID, state: .failed, message: "not in the order book", audit: audit("not placed"))
            return "Nothing was placed: no such order appeared in the order book. You may send it again."
        case .ambiguous(let ids):
            _ = try? await store.resolveIntent(intent.clientID, state: .ambiguous, message: "candidates \(ids.joined(separator: ","))",
                                               audit: audit("ambiguous: \(ids.joined(separator: ","))"))
            return "I cannot tell which order is this one: \(ids.count) matching orders appeared (\(ids.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))). "
                + "Nothing was sent again; check /orderbook and cancel any you did not mean."
        case .unreadable(let reason):
            try? await store.auditOrder(audit("order book unreadable: \(redact(reason))"))
            return "I could not read the order book to check, so I do not know whether it was placed. Check /orderbook "
                + "before sending it again; I will check again when I restart."
        }
    }

    /// The message of an intent a reconcile found placed: its claim is recorded before its id is told.
    static let foundInBook = "found in the order book"

    /// At startup, before any update is handled: every intent left `sending` or `unknown` is reconciled on its own
    /// account (active or not) and its user told the verdict (the returned messages go to the outbox). An intent
    /// whose account is no longer linked is settled `unchecked`, told once, never checked again. With `tell`, each
    /// intent's message goes to it as soon as it is known, and none are returned: a start killed half way through the
    /// intents loses none of the verdicts it recorded (a found order's news can still be lost to a kill during its
    /// few seconds of status polls, between the claim and the message).
    ///
    /// Each intent costs at most the reconcile's reads and the status polls (about 16 s of waits plus the broker
    /// calls). One account's intents are checked one after another, oldest first, so an earlier claim keeps its order
    /// from the later ones (a broker may list one id twice, with different fields: OrderReconcilerProperties); different
    /// accounts' side by side, `startupWidth` at a time: checked one by one, the 45 intents a kill in the middle of a burst
    /// of confirmations left took a start 47 s (the full chaos soak), and the caller runs this before READY, before any
    /// update is handled. (Two accounts on one OpenAlgo login share a book: there a claim race ends in a verdict that
    /// names the other claim and leaves the intent for the next check, never in one order claimed twice.)
    public func reconcileUnresolved(logger: Logger, tell: (@Sendable (OutgoingMessage) async -> Void)? = nil) async -> [OutgoingMessage] {
        guard let intents = try? await store.unresolvedIntents(), !intents.isEmpty else { return [] }
        let groups = Dictionary(grouping: intents.indices) { "\(intents[$0].userID)/\(intents[$0].account)" }.values.sorted { $0[0] < $1[0] }
        var told: [(index: Int, message: OutgoingMessage)] = []
        await withTaskGroup(of: [(index: Int, message: OutgoingMessage)].self) { group in
            var next = 0
            func startNext() {
                guard next < groups.count else { return }
                let members = groups[next]
                next += 1
                group.addTask {
                    var kept: [(index: Int, message: OutgoingMessage)] = []
                    for index in members {
                        let message = await settleAtStartup(intents[index], logger: logger, tell: tell)
                        if let tell { await tell(message) } else { kept.append((index, message)) }
                    }
                    return kept
                }
            }
            for _ in 0..<Self.startupWidth { startNext() }
            for await done in group {
                told += done
                startNext()
            }
        }
        return told.sorted { $0.index < $1.index }.map(\.message)
    }

    /// How many accounts' open intents a start checks at once: enough that a start after a burst takes seconds, few
    /// enough not to hammer the broker the bot has just found failing.
    static let startupWidth = 8

    /// One open intent checked at startup; the (last) message its user gets. With `tell`, a found order's id goes out
    /// through it as soon as the claim is recorded, before the status polls: told only after them, a kill during the
    /// polls left the intent settled and its user never told (the soak's confirms that never got an answer).
    private func settleAtStartup(_ intent: OrderIntent, logger: Logger,
                                 tell: (@Sendable (OutgoingMessage) async -> Void)?) async -> OutgoingMessage {
        let line = "<code>\(OrderDraftText.line(intent.draft, format: format))</code>"
        let heading = "After a restart I checked an order that was not confirmed:\n\(line)\n"
        // This check tells the verdict; the press's replay, which comes after it, must not tell it a second time.
        try? await store.forgetConfirmingPress(of: intent.confirmationID)
        let redact = KeyRedaction(key: await hub.keyForRedaction(userID: intent.userID, account: intent.account))
        let verdict: String
        do {
            guard let session = try await hub.session(userID: intent.userID, account: intent.account) else {
                logger.warning("unresolved order on an account no longer linked", metadata: ["intent": "\(intent.clientID)"])
                let reason = "account \(intent.account) is no longer linked; not checked"
                _ = try? await store.resolveIntent(intent.clientID, state: .unchecked, message: reason,
                                                   audit: OrderAuditEntry(at: timing.now(), userID: intent.userID, account: intent.account,
                                                                          event: "unchecked", fields: OrderAuditEntry.fields(intent.draft),
                                                                          reply: reason))
                return .text("After a restart I could not check an order on account <b>\(HTML.escape(intent.account))</b>:\n\(line)\n"
                             + "that account is no longer linked. Check its order book in OpenAlgo before sending it again.",
                             to: intent.chatID)
            }
            let announced = AnnouncedFlag()
            var early: (@Sendable (String) async -> Void)?
            if let tell {
                let chat = intent.chatID
                early = { @Sendable line in
                    announced.set()
                    await tell(.text(heading + line, to: chat))
                }
            }
            let result = await reconcile(intent, session: session, redact: redact, tell: early)
            // Once the heading went out with the order's id, the status follows on its own.
            if announced.isSet { return .text(result, to: intent.chatID) }
            verdict = result
        } catch {
            let error = redact(error)
            logger.warning("unresolved order not checked", metadata: ["intent": "\(intent.clientID)", "error": "\(error)"])
            verdict = "I could not check it (\(HTML.escape("\(error)"))); check /orderbook before sending it again."
        }
        return .text(heading + verdict, to: intent.chatID)
    }
}

/// Whether a startup check already told its user the found order's id (set from the `tell` closure).
private final class AnnouncedFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}

extension TradingHub {
    /// A session on `userID`'s account `name` whether or not it is the active one; nil when no such account is linked
    /// (on the paper broker, when `name` is not the paper account).
    func session(userID: Int64, account name: String) async throws -> TradingSession? {
        if paper != nil { return name == "paper" ? try await session(userID: userID) : nil }
        guard let account = try await store.accounts(of: userID).first(where: { $0.name == name }) else { return nil }
        let client = try AccountContext(userID: userID, store: store, vault: vault, broker: broker).client(for: account)
        return TradingSession(hub: self, userID: userID, accountName: name,
                              broker: ResilientBroker(client, breaker: breaker, delays: retryDelays, cache: cache))
    }
}
