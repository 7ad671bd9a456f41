@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// Paper orders: market fills at the LTP, limits rest until the walk crosses them, cancel, close-all, analyze mode, and
/// hostile requests refused before the books change. The clock is injected and moved by hand.
@Suite struct PaperOrderTests {
    /// Wednesday 2026-11-18, 11:00 IST: the market is open.
    static let start = Date(timeIntervalSince1970: 1_795_494_600)
    let clock = ManualDate(PaperOrderTests.start)

    func broker() async -> PaperBroker {
        let exchange = PaperExchange(now: { [clock] in clock.now })
        return await exchange.broker(for: 42)
    }

    func advance(_ seconds: TimeInterval) { clock.advance(by: seconds) }

    @Test func aMarketBuyFillsAtTheLTPAndMovesPositionAndFunds() async throws {
        let paper = await broker()
        let before = try await paper.funds()
        let ltp = try await paper.quote(Instrument("WIPRO", "NSE")).ltp
        let placement = try await paper.placeOrder(OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .buy, quantity: 100,
                                                                 priceType: .market, product: .mis))
        let id = try #require(placement.orderID)
        let status = try await paper.orderStatus(id: id)
        #expect(status.order.status == "complete" && status.averagePrice == ltp && status.filledQuantity == 100)
        let position = try #require(try await paper.positions().first { $0.symbol == "WIPRO" })
        #expect(position.quantity == 100 && position.averagePrice == ltp)
        let after = try await paper.funds()
        #expect(abs(after.usedMargin - before.usedMargin - 100 * ltp * 0.2) < 0.01)
        #expect(try await paper.tradeBook().contains { $0.orderID == id && $0.quantity == 100 })
    }

    @Test func aLimitRestsUntilThePriceCrossesIt() async throws {
        let paper = await broker()
        let instrument = Instrument("RELIANCE", "NSE")
        // Find, minute by minute through the session, a later price lower than now, and rest a buy just above it.
        let now = try await paper.quote(instrument).ltp
        var low = now, minutes = 0.0
        for minute in 1...200 {
            advance(60)
            let price = try await paper.quote(instrument).ltp
            if price < low - 0.5 { low = price; minutes = Double(minute); break }
        }
        try #require(low < now, "the walk never fell below the opening price in 200 minutes")
        advance(-minutes * 60)
        let limit = PaperMarket.tick(low + 0.25)
        let placement = try await paper.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 5,
                                                                 priceType: .limit, price: limit, product: .cnc))
        let id = try #require(placement.orderID)
        #expect(try await paper.orderStatus(id: id).order.status == "open")
        #expect(try await paper.positions().first { $0.symbol == "RELIANCE" && $0.product == "CNC" } == nil)
        advance(minutes * 60)
        let filled = try await paper.orderStatus(id: id)
        #expect(filled.order.status == "complete" && filled.averagePrice == limit)
        #expect(try await paper.positions().first { $0.symbol == "RELIANCE" && $0.product == "CNC" }?.quantity == 5)
    }

    @Test func cancelAndCancelAllTouchOnlyOpenOrders() async throws {
        let paper = await broker()
        let ltp = try await paper.quote(Instrument("TCS", "NSE")).ltp
        let far = OrderRequest(symbol: "TCS", exchange: "NSE", action: .buy, quantity: 1, priceType: .limit, price: PaperMarket.tick(ltp * 0.5),
                               product: .cnc)
        let first = try #require(try await paper.placeOrder(far).orderID)
        let second = try #require(try await paper.placeOrder(far).orderID)
        #expect(try await paper.cancelOrder(id: first).orderID == first)
        await #expect(throws: BrokerError.self) { _ = try await paper.cancelOrder(id: first) }  // no longer open
        let all = try await paper.cancelAllOrders()
        #expect(all.cancelled.contains(second) && !all.cancelled.contains(first))
        #expect(try await paper.orderBook().orders.filter { $0.status == "open" }.isEmpty)
    }

    @Test func closeAllFlattensEveryPosition() async throws {
        let paper = await broker()
        #expect(try await paper.positions().contains { $0.quantity != 0 })  // the seeded day has a long and a short
        let reply = try await paper.closeAllPositions()
        #expect(!reply.simulated && reply.message == "All Open Positions Squared Off")
        #expect(try await paper.positions().allSatisfy { $0.quantity == 0 })
    }

    @Test func analyzeModeSimulatesWithoutTouchingTheBooks() async throws {
        let paper = await broker()
        #expect(try await paper.setAnalyzerMode(true) == .analyze)
        let orders = try await paper.orderBook().orders.count
        let placement = try await paper.placeOrder(OrderRequest(symbol: "ITC", exchange: "NSE", action: .buy, quantity: 10, priceType: .market,
                                                                 product: .cnc))
        #expect(placement.outcome == .simulated(orderID: nil) && placement.message.contains("Analyze"))
        #expect(try await paper.closeAllPositions().simulated)
        #expect(try await paper.orderBook().orders.count == orders)
        #expect(try await paper.analyzerMode() == .analyze)
    }

    @Test func hostileRequestsAreRefusedBeforeAnythingChanges() async throws {
        let paper = await broker()
        let orders = try await paper.orderBook().orders
        let funds = try await paper.funds()
        let base = OrderRequest(symbol: "SBIN", exchange: "NSE", action: .sell, quantity: 1, priceType: .market, product: .mis)
        var bad: [OrderRequest] = []
        for quantity in [0, -1, Int.min, Int.max, OrderRequest.maxQuantity + 1] { var order = base; order.quantity = quantity; bad.append(order) }
        var limit = base; limit.priceType = .limit; limit.price = .nan; bad.append(limit)
        var stop = base; stop.priceType = .stopMarket; stop.triggerPrice = 700; bad.append(stop)
        var unlisted = base; unlisted.symbol = "NOSUCH"; bad.append(unlisted)
        for order in bad {
            await #expect { _ = try await paper.placeOrder(order) } throws: { error in
                guard case .invalidRequest(let message)? = error as? BrokerError else { return false }
                return !message.isEmpty
            }
        }
        #expect(try await paper.orderBook().orders == orders)
        #expect(try await paper.funds().availableCash == funds.availableCash)
    }
}
