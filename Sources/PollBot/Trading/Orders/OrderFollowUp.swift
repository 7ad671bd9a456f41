import BotKit
import Foundation

/// After placement, the order's status polled briefly, told in one line: complete with its average price, still
/// open, or rejected with the broker's reason.
struct OrderFollowUp: Sendable {
    let timing: OrderTiming
    let format: DisplayFormat

    static let settled: Set<String> = ["complete", "rejected", "cancelled"]

    /// The last status seen within the polls, nil when the broker never answered.
    func poll(_ orderID: String, broker: some Broker) async -> OrderStatus? {
        var last: OrderStatus?
        for wait in timing.statusPolls {
            await timing.pause(wait)
            guard let status = try? await broker.orderStatus(id: orderID) else { continue }
            last = status
            if Self.settled.contains(status.order.status.lowercased()) { break }
        }
        return last
    }

    /// "Complete at ₹1,420.10", "Open: resting at the exchange", "Rejected: margin shortfall".
    func line(_ status: OrderStatus?) -> String {
        guard let status else { return "Status: OpenAlgo did not report it yet; see /orderbook." }
        switch status.order.status.lowercased() {
        case "complete":
            return "Status: <b>complete</b>" + (status.averagePrice > 0 ? " at an average of \(format.number(status.averagePrice))" : "")
        case "rejected":
            return "Status: <b>rejected</b>: \(HTML.escape(status.rejectionReason ?? "the broker gave no reason"))"
        case "cancelled":
            return "Status: <b>cancelled</b>"
        case "open", "pending", "trigger pending":
            return "Status: <b>open</b>, waiting at the exchange; see /orderbook."
        default:
            return "Status: \(HTML.escape(status.order.status))"
        }
    }
}
