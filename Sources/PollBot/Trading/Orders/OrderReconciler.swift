import BotKit
import Foundation

/// Finds out what became of an order whose placement was not confirmed, from the order book alone: an order the
/// broker has now, matching the intent's symbol, exchange, side, quantity and product, that was not in the book before
/// the intent was sent and that no other intent has claimed. Nothing is ever re-sent.
struct OrderReconciler: Sendable {
    let store: BotStore
    let timing: OrderTiming

    enum Outcome: Sendable, Equatable {
        /// The one order that is the intent's, now claimed by it.
        case found(orderID: String)
        /// No such order appeared within the grace period.
        case notPlaced
        /// More than one order could be it.
        case ambiguous([String])
        /// The book could not be read at all; the intent stays unresolved.
        case unreadable(String)
        /// The intent never got its baseline: the call was never made.
        case neverSent
    }

    /// True when `order` has the intent's fields.
    static func matches(_ order: Order, _ draft: OrderDraft) -> Bool {
        order.symbol.uppercased() == draft.symbol.uppercased() && order.exchange.uppercased() == draft.exchange.uppercased()
            && order.action.uppercased() == draft.action.rawValue && order.product.uppercased() == draft.product.rawValue
            && order.quantity == Double(draft.quantity)
    }

    /// Reads the book up to `timing.reconcileReads.count` times and claims the intent's order once exactly one appears.
    /// The waits count from the intent's creation, not from this call: after a restart the grace period has usually
    /// passed, so the reads come at once. Counted from the call, a bot restarted again and again (crash loops, the
    /// chaos soak's kills) spent every start, before handling any update, waiting out the same 10 s anew and never
    /// got past them.
    func reconcile(_ intent: OrderIntent, broker: some Broker) async -> Outcome {
        guard let baseline = intent.baseline else { return .neverSent }
        var lastError: String?
        var readOnce = false
        var due = intent.createdAt
        for wait in timing.reconcileReads {
            due += wait.inSeconds
            // Never longer than the wait itself: a clock set back must not stretch the grace period.
            let left = min(due.timeIntervalSince(timing.now()), wait.inSeconds)
            await timing.pause(left > 0 ? .milliseconds(Int64(left * 1000)) : .zero)
            let book: OrderBook
            do {
                book = try await broker.orderBook()
            } catch {
                lastError = "\(error)"
                continue
            }
            readOnce = true
            let claimed = (try? await store.claimedOrderIDs(except: intent.clientID)) ?? []
            var candidates: [String] = []
            // One order listed twice in the book is still one order, not an ambiguity (found by OrderReconcilerProperties).
            for order in book.orders where Self.matches(order, intent.draft) && !baseline.contains(order.orderID)
                && !claimed.contains(order.orderID) && !candidates.contains(order.orderID) {
                candidates.append(order.orderID)
            }
            if candidates.count > 1 { return .ambiguous(candidates) }
            if let id = candidates.first { return .found(orderID: id) }
        }
        return readOnce ? .notPlaced : .unreadable(lastError ?? "no read was made")
    }
}
