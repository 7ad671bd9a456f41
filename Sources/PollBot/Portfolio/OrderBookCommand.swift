import BotKit
import Foundation

/// /orderbook: every order of the day, open first, then completed, rejected, cancelled; counts at the end.
struct OrderBookCommand: PortfolioCommand {
    static let name = "orderbook"
    static let summary = "Today's orders, open ones first"
    static let title = "Orders"

    init(arguments: inout ArgumentScanner) throws {}

    /// Most buttons one reply carries; the rest of the open orders are cancelled with /cancelorder.
    static let maxCancelButtons = 40

    /// The book; where the user may trade, a Cancel button under it for each open order (a press opens its preview).
    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let session = try await context.tradingSession()
        var html = try await Self.render(session, refresh: false)
        let trading = context.services.config.trading, admins = context.services.config.security.admins
        guard TradingGate.refusal(for: session.userID, settings: trading, admins: admins) == nil,
              let book = try? await session.fetch(.orders, refresh: false, { try await $0.orderBook() }).value else {
            return context.reply(html)
        }
        let open = OrderDesk.openOrders(book)
        let buttons = open.prefix(Self.maxCancelButtons).compactMap { OrderBookCancelButton.button(for: $0, owner: session.userID) }
        guard !buttons.isEmpty else { return context.reply(html) }
        if buttons.count < open.count {
            html += "\n\(open.count - buttons.count) more open order\(open.count - buttons.count == 1 ? "" : "s") without a button: /cancelorder ORDERID."
        }
        return OutgoingMessage.texts(html, to: context.chat.id, keyboard: InlineKeyboard(buttons.map { [$0] }))
    }

    /// The groups in the order a trader needs them; statuses a broker invents land in "Other".
    enum Group: String, CaseIterable {
        case open = "Open", completed = "Completed", rejected = "Rejected", cancelled = "Cancelled", other = "Other"

        init(status: String) {
            switch status.lowercased() {
            case "open", "pending", "trigger pending", "validation pending", "put order req received", "modified": self = .open
            case "complete", "completed", "filled", "traded", "executed": self = .completed
            case "rejected": self = .rejected
            case "cancelled", "canceled": self = .cancelled
            default: self = .other
            }
        }
    }

    static func render(_ session: TradingSession, refresh: Bool) async throws -> String {
        let fetched = try await session.fetch(.orders, refresh: refresh) { try await $0.orderBook() }
        let orders = fetched.value.orders, format = session.format
        var html = session.heading(title) + "\n"
        guard !orders.isEmpty else { return html + "No orders today." + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache) }
        let grouped = Dictionary(grouping: orders) { Group(status: $0.status) }
        for group in Group.allCases {
            guard let members = grouped[group] else { continue }
            var table = TextTable()
            for (index, order) in members.enumerated() {
                if index > 0 { table.gap() }
                table.line("\(order.action) \(format.quantity(order.quantity)) \(order.symbol) \(order.exchange) \(order.product)")
                let price = order.price == 0 ? order.priceType : "\(order.priceType) \(format.number(order.price))"
                let trigger = order.triggerPrice == 0 ? "" : " trg \(format.number(order.triggerPrice))"
                table.line(" \(price)\(trigger) \u{00B7} \(timeOfDay(order.timestamp))")
                table.line(" #\(order.orderID)" + (group == .other ? " \(order.status)" : ""))
            }
            html += "<b>\(group.rawValue) (\(members.count))</b>\n" + table.html
        }
        let buys = orders.filter { $0.action.uppercased() == "BUY" }.count
        var summary = TextTable()
        summary.row("Orders", "\(orders.count)")
        summary.row("Buy / sell", "\(buys) / \(orders.count - buys)")
        for group in Group.allCases where group != .other || grouped[group] != nil {
            summary.row(group.rawValue, "\(grouped[group]?.count ?? 0)")
        }
        return html + summary.html + session.freshness(fetched.fetchedAt, fromCache: fetched.fromCache)
    }
}
