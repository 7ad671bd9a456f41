import BotKit
import Foundation

/// The previews of the order actions beyond placement: each reads the book fresh, shows exactly what it will touch, and
/// stores a confirmation through `awaitConfirmation`, the same single-use, owner-bound, time-limited one as orders.
extension OrderDesk {
    /// Previews cancelling the open order `orderID` of `userID`'s active account; an id not in that book is refused here.
    public func proposeCancel(orderID: String, userID: Int64, chatID: Int64) async throws -> OrderProposal {
        if let refusal = TradingGate.refusal(for: userID, settings: settings, admins: admins) { return .refused(refusal) }
        let session = try await hub.session(userID: userID)
        let order = try await openOrder(orderID, session: session)
        let line = Self.line(order, format: session.format)
        let html = [session.heading("Cancel order preview"), "<code>\(HTML.escape(line))</code>", "",
                    confirmLine("cancel it")].joined(separator: "\n")
        return try await awaitConfirmation(.cancel(orderID: order.orderID, line: line), html: html, userID: userID, chatID: chatID,
                                           session: session)
    }

    /// Previews changing the open order `orderID` to `price` and/or `quantity`, with the order checks that apply to it.
    public func proposeModify(orderID: String, price: Double?, quantity: Int?, userID: Int64, chatID: Int64) async throws -> OrderProposal {
        if let refusal = TradingGate.refusal(for: userID, settings: settings, admins: admins) { return .refused(refusal) }
        let session = try await hub.session(userID: userID)
        let order = try await openOrder(orderID, session: session)
        guard let action = OrderAction(rawValue: order.action.uppercased()), let product = OrderProduct(rawValue: order.product.uppercased()),
              let type = PriceType(rawValue: order.priceType.uppercased()) else {
            throw UserError("The book shows this order in terms I cannot send back (\(HTML.escape(order.action)) "
                            + "\(HTML.escape(order.priceType)) \(HTML.escape(order.product))); change it in OpenAlgo.")
        }
        var priceType = type
        if price != nil {
            guard type != .stopMarket else { throw UserError("An SL-M order has no limit price; give only a new quantity.") }
            if type == .market { priceType = .limit }
        }
        let limited = priceType == .limit || priceType == .stopLimit
        let request = OrderRequest(symbol: order.symbol, exchange: order.exchange, action: action,
                                   quantity: quantity ?? Int(exactly: order.quantity.rounded()) ?? 0, priceType: priceType,
                                   price: limited ? (price ?? order.price) : 0, triggerPrice: order.triggerPrice, product: product)
        do { try request.validate() } catch let error as BrokerError {
            throw UserError(HTML.escape(error.description.replacingOccurrences(of: "OpenAlgo refused the request: ", with: "This change cannot be sent: ")))
        }
        guard Double(request.quantity) != order.quantity || request.price != order.price || request.priceType != type else {
            throw UserError("That is what order <code>\(HTML.escape(order.orderID))</code> already is; nothing to change.")
        }
        let draft = OrderDraft(symbol: request.symbol, exchange: request.exchange, action: action, quantity: request.quantity,
                               priceType: priceType, price: limited ? request.price : nil, product: product, origin: "modify")
        let ltp = try? await session.broker.quote(draft.instrument).ltp
        // A modify is not a new order: the daily count does not apply, every other check does.
        let checks = RiskChecks(settings: settings, calendar: calendar, format: session.format)
            .evaluate(draft, ltp: ltp, ordersToday: 0, now: timing.now()).filter { $0.key != "max_orders_per_day" }
        let line = Self.line(order, format: session.format)
        var lines = [session.heading("Modify order preview"), "Now: <code>\(HTML.escape(line))</code>",
                     "After: <code>\(OrderDraftText.line(draft, format: session.format))</code>",
                     "LTP: \(ltp.map { session.format.number($0) } ?? "not available")", "", "<b>Checks</b>"]
        lines += checks.map { "\($0.passed ? "\u{2713}" : "\u{2717}") \($0.key): \(HTML.escape($0.reason))" }
        lines.append("")
        let pending = PendingAction.modify(orderID: order.orderID, request: request, line: line)
        guard checks.allSatisfy(\.passed) else {
            let failed = checks.filter { !$0.passed }
            try await store.auditOrder(OrderAuditEntry(at: timing.now(), userID: userID, account: session.accountName, event: "blocked",
                                                       fields: pending.auditFields,
                                                       reply: failed.map { "\($0.key): \($0.reason)" }.joined(separator: "; ")))
            lines.append("<b>Blocked</b>: \(failed.map(\.key).joined(separator: ", ")). Nothing was sent.")
            return OrderProposal(html: lines.joined(separator: "\n"), keyboard: nil, confirmationID: nil)
        }
        lines.append(confirmLine("change it"))
        return try await awaitConfirmation(pending, html: lines.joined(separator: "\n"), userID: userID, chatID: chatID, session: session)
    }

    /// Previews cancelling every open order of the active account, listing each; no button when there is none.
    public func proposeCancelAll(userID: Int64, chatID: Int64) async throws -> OrderProposal {
        if let refusal = TradingGate.refusal(for: userID, settings: settings, admins: admins) { return .refused(refusal) }
        let session = try await hub.session(userID: userID)
        let open = Self.openOrders(try await session.call { try await $0.orderBook() })
        guard !open.isEmpty else {
            return OrderProposal(html: session.heading("Cancel all") + "\nNo open orders: nothing to cancel.", keyboard: nil, confirmationID: nil)
        }
        let html = [session.heading("Cancel all preview"), "These \(open.count) open order\(open.count == 1 ? "" : "s") will be cancelled:"]
            + open.map { "<code>\(HTML.escape(Self.line($0, format: session.format)))</code>" }
            + ["", "If the book changes before you confirm, nothing is sent.", confirmLine("cancel them")]
        return try await awaitConfirmation(.cancelAll(orderIDs: open.map(\.orderID).sorted()), html: html.joined(separator: "\n"),
                                           userID: userID, chatID: chatID, session: session)
    }

    /// Previews squaring off every open position of the active account, listing each; no button when there is none.
    public func proposeCloseAll(userID: Int64, chatID: Int64) async throws -> OrderProposal {
        if let refusal = TradingGate.refusal(for: userID, settings: settings, admins: admins) { return .refused(refusal) }
        let session = try await hub.session(userID: userID)
        let open = try await session.call { try await $0.positions() }.filter(\.isOpen)
        guard !open.isEmpty else {
            return OrderProposal(html: session.heading("Close all") + "\nNo open positions: nothing to close.", keyboard: nil, confirmationID: nil)
        }
        let html = [session.heading("Close all preview"), "These \(open.count) open position\(open.count == 1 ? "" : "s") will be closed at market:"]
            + open.map { "<code>\(HTML.escape(Self.line($0, format: session.format)))</code>" }
            + ["", "If the positions change before you confirm, nothing is sent.", confirmLine("close them")]
        return try await awaitConfirmation(.closeAll(positions: open.map(PendingAction.key).sorted()), html: html.joined(separator: "\n"),
                                           userID: userID, chatID: chatID, session: session)
    }

    /// Previews switching OpenAlgo to live mode, which makes every later order real.
    public func proposeLiveMode(userID: Int64, chatID: Int64) async throws -> OrderProposal {
        if let refusal = TradingGate.modeRefusal(for: userID, settings: settings, admins: admins) { return .refused(refusal) }
        let session = try await hub.session(userID: userID)
        let html = [session.heading("Mode"), "Switch OpenAlgo to <b>live</b> mode? Every order after this goes to the exchange with real money.",
                    "", confirmLine("switch")].joined(separator: "\n")
        return try await awaitConfirmation(.setMode(.live), html: html, userID: userID, chatID: chatID, session: session)
    }

    private func confirmLine(_ what: String) -> String {
        "Press Confirm within \(settings.confirmSeconds) s to \(what); nothing is sent before."
    }

    /// The order `orderID` from a fresh read of the active account's book, refused unless it is there and open.
    private func openOrder(_ orderID: String, session: TradingSession) async throws -> Order {
        let book = try await session.call { try await $0.orderBook() }
        guard let order = book.orders.first(where: { $0.orderID == orderID }) else {
            throw UserError("Order <code>\(HTML.escape(orderID))</code> is not in the order book of your active account "
                            + "<b>\(HTML.escape(session.accountName))</b>. /orderbook lists its orders.")
        }
        guard Self.isOpen(order) else {
            throw UserError("Order <code>\(HTML.escape(orderID))</code> is \(HTML.escape(order.status)), not open: there is nothing to change.")
        }
        return order
    }

    /// True while the order can still be cancelled or modified.
    static func isOpen(_ order: Order) -> Bool { OrderBookCommand.Group(status: order.status) == .open }

    /// The book's open orders, in its order.
    static func openOrders(_ book: OrderBook) -> [Order] { book.orders.filter(isOpen) }

    /// An order as the previews show it: side, quantity, symbol, exchange, type and price, product, id, status.
    static func line(_ order: Order, format: DisplayFormat) -> String {
        let price = order.price == 0 ? "" : " \(format.number(order.price))"
        return "\(order.action) \(format.quantity(order.quantity)) \(order.symbol) \(order.exchange), \(order.priceType)\(price), "
            + "\(order.product) #\(order.orderID) (\(order.status))"
    }

    /// A position as the previews show it: side, quantity, symbol, exchange, product, P&L.
    static func line(_ position: Position, format: DisplayFormat) -> String {
        "\(position.quantity > 0 ? "LONG" : "SHORT") \(format.quantity(abs(position.quantity))) \(position.symbol) \(position.exchange), "
            + "\(position.product), P&L \(format.money(position.pnl))"
    }
}

extension OrderProposal {
    /// The reply to a user the gate refuses: the reason, no button.
    static func refused(_ refusal: String) -> OrderProposal { OrderProposal(html: HTML.escape(refusal), keyboard: nil, confirmationID: nil) }
}
