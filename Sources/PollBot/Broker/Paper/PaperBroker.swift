import BotKit
import Foundation

/// The built-in broker of the demo and the tests: the paper market's prices and a simulated account.
public struct PaperBroker: Broker {
    private let market: PaperMarket
    private let account: PaperAccount
    private let now: @Sendable () -> Date

    init(market: PaperMarket, account: PaperAccount, now: @escaping @Sendable () -> Date) {
        self.market = market
        self.account = account
        self.now = now
    }

    public var label: String { "the paper broker" }
    public var host: String { "paper" }
    public var isDemo: Bool { true }

    public func funds() async throws -> Funds {
        let ledger = try await account.settled(at: now())
        let positions = try valued(ledger.positions)
        let margin = ledger.positions.filter { $0.quantity != 0 }
            .reduce(0) { $0 + abs($1.quantity) * $1.averagePrice * ($1.product == "MIS" ? 0.2 : 1) }
        let realized = ledger.positions.reduce(0) { $0 + $1.realized }
        let unrealized = positions.reduce(0) { $0 + $1.pnl } - realized
        return Funds(availableCash: ledger.cash + realized - margin, collateral: 0, realizedPnL: realized,
                     unrealizedPnL: unrealized, usedMargin: margin)
    }

    public func orderBook() async throws -> OrderBook { OrderBook(orders: try await account.settled(at: now()).orders) }
    public func tradeBook() async throws -> [Trade] { try await account.settled(at: now()).trades }
    public func positions() async throws -> [Position] { try valued(await account.settled(at: now()).positions) }

    /// The book's positions at the current LTP, realized P&L included.
    private func valued(_ book: [PaperLedger.OpenPosition]) throws -> [Position] {
        try book.map { position in
            let ltp = try market.quote(position.instrument, at: now()).ltp
            return Position(symbol: position.instrument.symbol, exchange: position.instrument.exchange, product: position.product,
                            quantity: position.quantity, averagePrice: position.averagePrice, ltp: ltp,
                            pnl: position.realized + (ltp - position.averagePrice) * position.quantity)
        }
    }

    public func holdings() async throws -> Holdings {
        var holdings: [Holding] = []
        var value = 0.0, invested = 0.0
        for held in try await account.settled(at: now()).holdings {
            let ltp = try market.quote(held.instrument, at: now()).ltp
            let cost = held.averagePrice * held.quantity
            value += ltp * held.quantity
            invested += cost
            holdings.append(Holding(symbol: held.instrument.symbol, exchange: held.instrument.exchange, product: "CNC",
                                    quantity: held.quantity, pnl: ltp * held.quantity - cost,
                                    pnlPercent: cost == 0 ? 0 : (ltp * held.quantity - cost) / cost * 100))
        }
        return Holdings(holdings: holdings, statistics: .init(value: value, invested: invested, pnl: value - invested,
                                                              pnlPercent: invested == 0 ? 0 : (value - invested) / invested * 100))
    }

    public func quote(_ instrument: Instrument) async throws -> Quote { try market.quote(instrument, at: now()) }

    public func quotes(_ instruments: [Instrument]) async throws -> [QuoteResult] {
        instruments.map { instrument in
            do {
                return QuoteResult(instrument: instrument, outcome: .success(try market.quote(instrument, at: now())))
            } catch {
                return QuoteResult(instrument: instrument, outcome: .failure(.init("not listed in the paper market")))
            }
        }
    }

    public func history(_ instrument: Instrument, interval: String, start: Date, end: Date) async throws -> [Candle] {
        try market.history(instrument, interval: interval, start: start, end: end, now: now())
    }

    public func expiries(_ underlying: Instrument) async throws -> [ExpiryDate] {
        PaperOptions(market: market).expiries(underlying, at: now())
    }

    /// The paper market's synthetic chain; its Greeks are always at the paper market's own rate (6.5 %), as its
    /// prices are, so `interestRate` does not change them.
    public func optionChain(_ underlying: Instrument, expiry: ExpiryDate, strikeCount: Int?, interestRate: Double) async throws -> OptionChain {
        try PaperOptions(market: market).chain(underlying, expiry: expiry, strikeCount: strikeCount, at: now())
    }

    public func intervals() async throws -> Intervals { PaperMarket.intervals }

    // MARK: Orders (stored with the books when the exchange has a store; analyze mode only checks them).

    public func placeOrder(_ order: OrderRequest) async throws -> OrderPlacement {
        let now = now()
        return try await account.update(at: now) { books in
            guard !books.analyze else {
                _ = try books.checkedLTP(order, at: now)
                return OrderPlacement(.simulated(orderID: nil), message: "Analyze mode: checked and simulated, nothing booked")
            }
            return try books.place(order, at: now)
        }
    }

    public func modifyOrder(id: String, to order: OrderRequest) async throws -> OrderAck {
        let now = now()
        return try await account.update(at: now) { books in
            guard !books.analyze else {
                _ = try books.checkedLTP(order, at: now)
                return OrderAck(orderID: id, simulated: true, message: Self.simulated)
            }
            return try books.modify(id: id, to: order, at: now)
        }
    }

    public func cancelOrder(id: String) async throws -> OrderAck {
        try await account.update(at: now()) { books in
            books.analyze ? OrderAck(orderID: id, simulated: true, message: Self.simulated) : try books.cancel(id: id)
        }
    }

    public func cancelAllOrders() async throws -> CancelAllReply {
        try await account.update(at: now()) { books in
            books.analyze ? CancelAllReply(cancelled: [], failed: [], simulated: true, message: Self.simulated) : books.cancelAll()
        }
    }

    public func closeAllPositions() async throws -> CloseAllReply {
        let now = now()
        return try await account.update(at: now) { books in
            books.analyze ? CloseAllReply(simulated: true, message: Self.simulated) : try books.closeAll(at: now)
        }
    }

    private static let simulated = "Analyze mode: simulated, nothing changed"

    public func orderStatus(id: String) async throws -> OrderStatus { try await account.settled(at: now()).orderStatus(id: id) }
    public func analyzerMode() async throws -> AnalyzerMode { try await account.settled(at: now()).analyze ? .analyze : .live }

    @discardableResult
    public func setAnalyzerMode(_ on: Bool) async throws -> AnalyzerMode {
        try await account.update(at: now()) { $0.analyze = on }
        return on ? .analyze : .live
    }
    public func ping() async throws {}
}
