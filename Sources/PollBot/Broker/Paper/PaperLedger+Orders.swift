import BotKit
import Foundation

/// Orders on the simulated account: market orders fill at the LTP, limit orders rest until the price walk crosses them.
///
/// The account (PaperAccount) stores each change with the rest of the books, so these only change the value.
extension PaperLedger {
    /// Places `request` at `now`: refused (nothing changes) when it is malformed, not listed, or a stop order, which
    /// the paper broker does not simulate; a market order or a limit the LTP already crosses fills at once, at the LTP.
    mutating func place(_ request: OrderRequest, at now: Date) throws -> OrderPlacement {
        let ltp = try checkedLTP(request, at: now)
        let id = record(request.instrument, request.action.rawValue, Double(request.quantity), request.product.rawValue,
                        request.priceType.rawValue, status: "open", at: now, price: request.price)
        fillIfMarketable(orders.count - 1, ltp: ltp, at: now)
        settle(at: now, prices: [request.instrument: ltp])
        return OrderPlacement(.placed(orderID: id), message: "Paper order \(status(of: id) ?? "open")")
    }

    /// The LTP of a request the paper broker can take, or the reason it cannot.
    func checkedLTP(_ request: OrderRequest, at now: Date) throws -> Double {
        try request.validate()
        guard [.market, .limit].contains(request.priceType) else {
            throw BrokerError.invalidRequest("pricetype: the paper broker simulates MARKET and LIMIT orders, not \(request.priceType.rawValue)")
        }
        return try market.quote(request.instrument, at: now).ltp
    }

    /// Fills every open order the price at `now` reaches: a market order at the LTP, a buy limit at or above the LTP and
    /// a sell limit at or below it at the limit price. Prices the caller already read are passed in `prices`.
    mutating func settle(at now: Date, prices: [Instrument: Double] = [:]) {
        for index in orders.indices where orders[index].status == "open" {
            let order = orders[index], instrument = Instrument(order.symbol, order.exchange)
            guard let ltp = prices[instrument] ?? (try? market.quote(instrument, at: now).ltp) else { continue }
            let isBuy = order.action == OrderAction.buy.rawValue
            let fillPrice: Double
            switch order.priceType {
            case PriceType.market.rawValue: fillPrice = ltp
            case PriceType.limit.rawValue where isBuy ? ltp <= order.price : ltp >= order.price: fillPrice = order.price
            default: continue
            }
            orders[index].status = "complete"
            execute(instrument, order.action, order.quantity, order.product, price: fillPrice, at: now, orderID: order.orderID)
        }
    }

    /// Fills the open limit order at `index` at `ltp` when the LTP already crosses it as it is placed or changed: such a
    /// limit is marketable, and the exchange fills it at the market's price, not at the worse limit (only an order that
    /// rests until the walk reaches it fills at its limit, in `settle`).
    private mutating func fillIfMarketable(_ index: Int, ltp: Double, at now: Date) {
        let order = orders[index], isBuy = order.action == OrderAction.buy.rawValue
        guard order.status == "open", order.priceType == PriceType.limit.rawValue, isBuy ? ltp <= order.price : ltp >= order.price else { return }
        orders[index].status = "complete"
        execute(Instrument(order.symbol, order.exchange), order.action, order.quantity, order.product, price: ltp, at: now, orderID: order.orderID)
    }

    /// Changes the open order `id` to `request`'s quantity, price and type; it may fill at once.
    mutating func modify(id: String, to request: OrderRequest, at now: Date) throws -> OrderAck {
        let index = try openOrder(id, doing: "modify")
        let ltp = try checkedLTP(request, at: now)
        guard orders[index].symbol == request.symbol, orders[index].exchange == request.exchange,
              orders[index].action == request.action.rawValue, orders[index].product == request.product.rawValue else {
            throw BrokerError.invalidRequest("only the quantity, price and price type of order \(id) can change")
        }
        orders[index].quantity = Double(request.quantity)
        orders[index].price = PaperMarket.tick(request.price)
        orders[index].priceType = request.priceType.rawValue
        fillIfMarketable(index, ltp: ltp, at: now)
        settle(at: now, prices: [request.instrument: ltp])
        return OrderAck(orderID: id, message: "Order modified successfully")
    }

    /// Cancels the open order `id`.
    mutating func cancel(id: String) throws -> OrderAck {
        orders[try openOrder(id, doing: "cancel")].status = "cancelled"
        return OrderAck(orderID: id, message: "Order cancelled successfully")
    }

    /// Cancels every open order.
    mutating func cancelAll() -> CancelAllReply {
        var cancelled: [String] = []
        for index in orders.indices where orders[index].status == "open" {
            orders[index].status = "cancelled"
            cancelled.append(orders[index].orderID)
        }
        return CancelAllReply(cancelled: cancelled, failed: [], message: "Canceled \(cancelled.count) orders. Failed to cancel 0 orders.")
    }

    /// Squares off every open position with a market order at the LTP of `now`.
    mutating func closeAll(at now: Date) throws -> CloseAllReply {
        let open = positions.filter { $0.quantity != 0 }
        let prices = try Dictionary(open.map { ($0.instrument, try market.quote($0.instrument, at: now).ltp) }, uniquingKeysWith: { a, _ in a })
        for position in open {
            let action = position.quantity > 0 ? OrderAction.sell : .buy
            let id = record(position.instrument, action.rawValue, abs(position.quantity), position.product, PriceType.market.rawValue,
                            status: "complete", at: now, price: 0)
            execute(position.instrument, action.rawValue, abs(position.quantity), position.product, price: prices[position.instrument] ?? 0,
                    at: now, orderID: id)
        }
        return CloseAllReply(message: open.isEmpty ? "No open positions" : "All Open Positions Squared Off")
    }

    /// The order `id` with its average fill price once complete.
    func orderStatus(id: String) throws -> OrderStatus {
        guard let order = orders.first(where: { $0.orderID == id }) else { throw BrokerError.invalidRequest("Order \(id) not found") }
        let fills = trades.filter { $0.orderID == id }
        let filled = fills.reduce(0) { $0 + $1.quantity }
        let average = filled == 0 ? 0 : fills.reduce(0) { $0 + $1.quantity * $1.averagePrice } / filled
        return OrderStatus(order: order, averagePrice: average, filledQuantity: filled)
    }

    private func status(of id: String) -> String? { orders.first { $0.orderID == id }?.status }

    /// The index of `id` when it is open, else why `action` cannot touch it.
    private func openOrder(_ id: String, doing action: String) throws -> Int {
        guard let index = orders.firstIndex(where: { $0.orderID == id }) else { throw BrokerError.invalidRequest("Order \(id) not found") }
        guard orders[index].status == "open" else {
            throw BrokerError.invalidRequest("Cannot \(action) order \(id) in \(orders[index].status) status")
        }
        return index
    }
}
