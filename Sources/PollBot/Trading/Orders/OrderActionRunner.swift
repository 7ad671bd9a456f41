import BotKit
import Foundation
import Logging

/// What a confirmed order action does: the bulk ones first check the book still matches the preview, then each makes
/// one broker call, never repeated; an unknown outcome is settled by reading the book, not by sending again.
extension OrderDesk {
    /// Performs the confirmed `pending` action once and returns what to tell the user; every step is audited, with
    /// broker texts passed through `redact` first.
    func perform(_ pending: PendingOrder, session: TradingSession, logger: Logger, redact: KeyRedaction,
                 progress: @Sendable (String) async -> Void) async -> String {
        let format = session.format
        switch pending.action {
        case .place:
            // Placements go through their intent in `confirm`; a stored row that says otherwise is not acted on.
            return "This confirmation is not an action; nothing was sent."
        case let .cancel(orderID, line):
            let shown = "<code>\(HTML.escape(line))</code>"
            return await once(pending, session: session, logger: logger, redact: redact, progress: progress, shown: shown) {
                try await $0.cancelOrder(id: orderID)
            } done: { ack in
                ack.simulated ? "<b>Simulated</b>: OpenAlgo is in analyze mode, so only the sandbox's order changed."
                    : "<b>Cancelled</b> order <code>\(HTML.escape(ack.orderID))</code>."
            } check: { broker in
                let status = try await broker.orderStatus(id: orderID).order.status
                return OrderBookCommand.Group(status: status) == .cancelled
                    ? "The order is now <b>cancelled</b>."
                    : "The order is <b>\(HTML.escape(status))</b>, so it was not cancelled. Nothing was sent again; /cancelorder to try again."
            }
        case let .modify(orderID, request, line):
            let shown = "<code>\(HTML.escape(line))</code>"
            // The request was built from the preview's book: sent over a change made since (a fill, another modify), it
            // would silently undo that change.
            let current: Order?
            do { current = try await session.broker.orderBook().orders.first { $0.orderID == orderID } } catch {
                return await unchecked(pending, "the order book", error: redact(error))
            }
            guard let current, Self.line(current, format: format) == line else {
                let now = current.map { "<code>\(HTML.escape(Self.line($0, format: format)))</code>" } ?? "not in the book any more"
                let html = "Order <code>\(HTML.escape(orderID))</code> changed since the preview (now \(now)), so nothing was sent; "
                    + "\(pending.action.retry) to see it as it is."
                await audit(pending, "changed", html)
                return html
            }
            return await once(pending, session: session, logger: logger, redact: redact, progress: progress, shown: shown) {
                try await $0.modifyOrder(id: orderID, to: request)
            } done: { ack in
                ack.simulated ? "<b>Simulated</b>: OpenAlgo is in analyze mode, so only the sandbox's order changed."
                    : "<b>Modified</b> order <code>\(HTML.escape(ack.orderID))</code>: now \(request.priceType.rawValue)"
                    + (request.price > 0 ? " \(format.number(request.price))" : "") + ", quantity \(request.quantity)."
            } check: { broker in
                let order = try await broker.orderStatus(id: orderID).order
                let changed = order.quantity == Double(request.quantity) && (request.price == 0 || order.price == request.price)
                return changed ? "The order now shows the change (\(HTML.escape(Self.line(order, format: format))))."
                    : "The order still shows <code>\(HTML.escape(Self.line(order, format: format)))</code>: not changed. Nothing was sent again."
            }
        case .cancelAll(let ids):
            let now: [String]
            do { now = Self.openOrders(try await session.broker.orderBook()).map(\.orderID).sorted() } catch {
                return await unchecked(pending, "the order book", error: redact(error))
            }
            guard now == ids else { return await changed(pending, "The open orders changed since the preview", before: ids.count, now: now.count) }
            return await once(pending, session: session, logger: logger, redact: redact, progress: progress, shown: "") {
                try await $0.cancelAllOrders()
            } done: { reply in
                guard !reply.simulated else { return "<b>Simulated</b>: OpenAlgo is in analyze mode, so no live order was cancelled." }
                return "<b>Cancelled</b> \(reply.cancelled.count) of \(ids.count) order\(ids.count == 1 ? "" : "s")"
                    + (reply.failed.isEmpty ? "." : "; could not cancel \(reply.failed.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")).")
                    + (await Self.stillOpen(orders: session.broker))
            } check: { broker in
                let left = Self.openOrders(try await broker.orderBook()).map(\.orderID).filter(ids.contains)
                return "\(ids.count - left.count) of the \(ids.count) orders are no longer open; \(left.count) still are. Nothing was sent again."
            }
        case .closeAll(let keys):
            let now: [String]
            do { now = try await session.broker.positions().filter(\.isOpen).map(PendingAction.key).sorted() } catch {
                return await unchecked(pending, "the positions", error: redact(error))
            }
            guard now == keys else { return await changed(pending, "The open positions changed since the preview", before: keys.count, now: now.count) }
            return await once(pending, session: session, logger: logger, redact: redact, progress: progress, shown: "") {
                try await $0.closeAllPositions()
            } done: { reply in
                guard !reply.simulated else { return "<b>Simulated</b>: OpenAlgo is in analyze mode, so no live position was closed." }
                let said = reply.message.isEmpty ? "" : " (\(HTML.escape(reply.message)))"
                return "<b>Close all sent</b> for \(keys.count) position\(keys.count == 1 ? "" : "s")\(said)."
                    + (await Self.stillOpen(positions: session.broker))
            } check: { broker in
                let left = try await broker.positions().filter(\.isOpen).map(PendingAction.key).filter(keys.contains)
                return "\(keys.count - left.count) of the \(keys.count) positions are closed; \(left.count) still open. Nothing was sent again."
            }
        case .setMode(let mode):
            return await once(pending, session: session, logger: logger, redact: redact, progress: progress, shown: "") {
                try await $0.setAnalyzerMode(mode == .analyze)
            } done: { now in
                now == mode ? "Switched. Now in " + ModeCommand.describe(now) : "OpenAlgo did not switch: it stays in " + ModeCommand.describe(now)
            } check: { broker in
                "OpenAlgo is now in " + ModeCommand.describe(try await broker.analyzerMode())
            }
        }
    }

    /// One broker call: its answer, a refusal (nothing done), or an unknown outcome settled by `check`'s fresh read.
    private func once<Reply: Sendable>(_ pending: PendingOrder, session: TradingSession, logger: Logger, redact: KeyRedaction,
                                       progress: @Sendable (String) async -> Void, shown: String,
                                       call: @Sendable (ResilientBroker) async throws -> Reply,
                                       done: (Reply) async -> String,
                                       check: @Sendable (ResilientBroker) async throws -> String) async -> String {
        let prefix = shown.isEmpty ? "" : shown + "\n"
        let reply: Reply
        do {
            reply = try await call(session.broker)
        } catch {
            return await unsure(pending, redact(error), session: session, logger: logger, redact: redact, progress: progress,
                                prefix: prefix, check: check)
        }
        // Broker texts in the answer (a message, an id) may echo the key; what is audited, told and kept is redacted.
        let html = redact(await done(reply))
        await audit(pending, "result", html)
        return prefix + html
    }

    /// A failed action call: a refusal (nothing done) is told as such; anything else is settled by `check`'s fresh read.
    private func unsure(_ pending: PendingOrder, _ error: any Error, session: TradingSession, logger: Logger, redact: KeyRedaction,
                        progress: @Sendable (String) async -> Void, prefix: String,
                        check: @Sendable (ResilientBroker) async throws -> String) async -> String {
        if let error = error as? BrokerError, !Self.isUnknown(error) {
            await audit(pending, "refused", "\(error)")
            return prefix + "Not done: " + BrokerFailure(error, account: pending.account, broker: session.broker, settings: hub.broker).userHTML
        }
        // The call went out and no clear answer came back: the book tells what happened; it is never sent again.
        let errorID = ErrorID.make()
        logger.warning("order action outcome unknown", metadata: ["error_id": "\(errorID)", "error": "\(error)"])
        await audit(pending, "unknown", "\(error)", errorID: errorID)
        await progress(prefix + "OpenAlgo did not confirm; checking\u{2026}")
        let verdict: String
        do { verdict = redact(try await check(session.broker)) } catch {
            verdict = "I could not read the book to check (\(HTML.escape("\(redact(error))"))); check /orderbook before trying again. Nothing was sent again."
        }
        await audit(pending, "reconciled", verdict)
        return prefix + "OpenAlgo did not confirm. " + verdict
    }

    private func changed(_ pending: PendingOrder, _ what: String, before: Int, now: Int) async -> String {
        let html = "\(what) (\(before) then, \(now) now), so nothing was sent; \(pending.action.retry) to see the new list."
        await audit(pending, "changed", html)
        return html
    }

    private func unchecked(_ pending: PendingOrder, _ what: String, error: any Error) async -> String {
        await audit(pending, "failed", "\(what) unreadable: \(error)")
        return "I could not read \(what) to check they match the preview, so nothing was sent; \(pending.action.retry)."
    }

    private static func stillOpen(orders broker: ResilientBroker) async -> String {
        guard let open = try? openOrders(await broker.orderBook()) else { return "" }
        return open.isEmpty ? "\nNo open orders remain." : "\nStill open: \(open.count) (/orderbook)."
    }

    private static func stillOpen(positions broker: ResilientBroker) async -> String {
        guard let open = try? await broker.positions().filter(\.isOpen) else { return "" }
        return open.isEmpty ? "\nNo open positions remain." : "\nStill open: \(open.count) (/positions)."
    }

    /// Records one step of `pending`; a failed audit write never hides the outcome from the user.
    private func audit(_ pending: PendingOrder, _ event: String, _ reply: String, errorID: String = "") async {
        let plain = reply.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        let entry = OrderAuditEntry(at: timing.now(), userID: pending.userID, account: pending.account, event: event,
                                    fields: pending.action.auditFields, reply: plain, errorID: errorID)
        try? await store.auditOrder(entry)
    }
}
