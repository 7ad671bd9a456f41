import BotKit
import Foundation

/// An order as the watch last saw it: the broker's status text and the units filled by then.
struct WatchedOrder: Sendable, Equatable {
    var status: String
    var filled: Double
}

/// The fills of one order, summed from the trade book.
struct OrderFill: Sendable, Equatable {
    var quantity: Double
    var value: Double

    /// The volume-weighted average price, nil when there is nothing usable to average.
    var average: Double? {
        let price = value / quantity
        return quantity > 0 && price.isFinite && price > 0 ? price : nil
    }

    /// Each order's fills from `trades`; trades with unusable numbers are left out.
    static func byOrder(_ trades: [Trade]) -> [String: OrderFill] {
        var fills: [String: OrderFill] = [:]
        for trade in trades {
            let quantity = abs(trade.quantity), value = abs(trade.quantity) * trade.averagePrice
            guard !trade.orderID.isEmpty, quantity.isFinite, quantity > 0, value.isFinite, value >= 0 else { continue }
            fills[trade.orderID, default: OrderFill(quantity: 0, value: 0)].quantity += quantity
            fills[trade.orderID, default: OrderFill(quantity: 0, value: 0)].value += value
        }
        return fills
    }
}

/// One change worth telling: an order filled, partly filled, rejected or cancelled since the last read.
struct OrderChange: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case filled(average: Double?)
        case partiallyFilled(filled: Double, average: Double?)
        case rejected(reason: String?)
        case cancelled(filled: Double)
    }

    var order: Order
    var kind: Kind

    /// What a status text means for the watch; brokers spell a few differently, anything else is never announced.
    enum Phase: Equatable {
        case working, complete, rejected, cancelled, other
    }

    static func phase(_ status: String) -> Phase {
        switch status.lowercased().trimmingCharacters(in: .whitespaces) {
        case "complete", "completed", "filled", "traded", "executed": .complete
        case "rejected": .rejected
        case "cancelled", "canceled": .cancelled
        case "open", "pending", "trigger pending", "trigger_pending", "validation pending", "open pending", "modified": .working
        default: .other
        }
    }

    /// The changes from `previous` (the orders seen last time) to `book`. An order new to a known book counts as if it
    /// had been seen working and unfilled, so an order placed and filled between two reads is still told; `quiet` ids
    /// (orders the bot placed itself, whose outcome its confirmation already told) are recorded without a word when new.
    static func changes(from previous: [String: WatchedOrder], to book: [Order], fills: [String: OrderFill],
                        quiet: Set<String>) -> [OrderChange] {
        var seen = Set<String>()
        var changes: [OrderChange] = []
        for order in book where !order.orderID.isEmpty && seen.insert(order.orderID).inserted {
            let before = previous[order.orderID]
            if before == nil, quiet.contains(order.orderID) { continue }
            let was = phase(before?.status ?? "open"), filled = fills[order.orderID]?.quantity ?? 0
            let average = fills[order.orderID]?.average
            switch phase(order.status) {
            case .complete where was != .complete:
                changes.append(OrderChange(order: order, kind: .filled(average: average)))
            case .rejected where was != .rejected:
                changes.append(OrderChange(order: order, kind: .rejected(reason: nil)))
            case .cancelled where was != .cancelled:
                changes.append(OrderChange(order: order, kind: .cancelled(filled: filled)))
            case .working where filled > (before?.filled ?? 0) && filled < order.quantity:
                changes.append(OrderChange(order: order, kind: .partiallyFilled(filled: filled, average: average)))
            default:
                break
            }
        }
        return changes
    }

    /// What the watch remembers of `book` for the next read.
    static func memory(of book: [Order], fills: [String: OrderFill]) -> [String: WatchedOrder] {
        var memory: [String: WatchedOrder] = [:]
        for order in book where !order.orderID.isEmpty && memory[order.orderID] == nil {
            memory[order.orderID] = WatchedOrder(status: order.status, filled: fills[order.orderID]?.quantity ?? 0)
        }
        return memory
    }

    /// The notification: "✅ Filled: BUY 10 RELIANCE NSE at an average of 1,420.10", then the account, order and time.
    func text(account: String, at time: Date, format: DisplayFormat) -> String {
        let what = "\(HTML.escape(Self.clipped(order.action.uppercased(), 16))) \(format.quantity(order.quantity)) "
            + "<b>\(HTML.escape(Self.clipped(order.symbol, 64))) \(HTML.escape(Self.clipped(order.exchange, 16)))</b>"
        let head: String
        switch kind {
        case .filled(let average):
            head = "\u{2705} <b>Filled</b>: \(what)" + (average.map { " at an average of \(format.number($0))" } ?? "")
        case .partiallyFilled(let filled, let average):
            head = "\u{25D1} <b>Partially filled</b>: \(format.quantity(filled)) of \(what)"
                + (average.map { " at an average of \(format.number($0))" } ?? "") + "; the rest is still working"
        case .rejected(let reason):
            head = "\u{26D4} <b>Rejected</b>: \(what): \(HTML.escape(Self.reasonShown(reason)))"
        case .cancelled(let filled):
            head = "\u{2716} <b>Cancelled</b>: \(what)" + (filled > 0 ? " (\(format.quantity(filled)) had filled)" : "")
        }
        return head + "\n<i>Account \(HTML.escape(account)), order <code>\(HTML.escape(Self.clipped(order.orderID, 64)))</code>, seen at "
            + "\(format.clock(time)).</i>"
    }

    /// The longest rejection reason quoted: a broker's essay (or an echoed request) must not push the notice past
    /// Telegram's 4,096 characters, where it would be refused and lost.
    static let reasonLimit = 500

    /// The broker's reason as the notice quotes it: without an API key it may echo, at most `reasonLimit` characters.
    static func reasonShown(_ reason: String?) -> String {
        guard let reason, !reason.isEmpty else { return "the broker gave no reason" }
        return clipped(KeyRedaction(key: nil)(reason), reasonLimit)
    }

    /// `text` cut to `limit` UTF-16 units (as Telegram counts), with an ellipsis when it was cut.
    static func clipped(_ text: String, _ limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var cut = "", units = 0
        for character in text {
            units += character.utf16.count
            guard units < limit else { break }
            cut.append(character)
        }
        return cut + "\u{2026}"
    }
}
