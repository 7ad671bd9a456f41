@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// The paper account across the close and into the next session, as PaperLedger+Session documents it, through restarts.
@Suite struct PaperSessionTests {
    let directory: TemporaryDirectory
    let clock = ManualDate(PaperOrderTests.start)  // Tuesday 2026-11-24, 10:00 IST

    init() throws { directory = try TemporaryDirectory() }

    func broker() async throws -> PaperBroker {
        let store = try BotStore(path: directory.file("pollbot.sqlite3"), schemas: TraderApp.schemas)
        return await PaperExchange(store: store, now: { [clock] in clock.now }).broker(for: 7)
    }

    func order(_ symbol: String, _ action: OrderAction, _ quantity: Int, _ product: OrderProduct, limit: Double? = nil) -> OrderRequest {
        OrderRequest(symbol: symbol, exchange: "NSE", action: action, quantity: quantity, priceType: limit == nil ? .market : .limit,
                     price: limit ?? 0, product: product)
    }

    @Test func dayOrdersExpireIntradayIsSquaredOffAndDeliveriesBecomeHoldings() async throws {
        defer { directory.remove() }
        let paper = try await broker()
        let wipro = try #require(try await paper.placeOrder(order("WIPRO", .buy, 10, .cnc)).orderID)
        let wiproFill = try await paper.orderStatus(id: wipro).averagePrice
        _ = try await paper.placeOrder(order("NTPC", .buy, 5, .mis))
        let tcs = try await paper.quote(Instrument("TCS", "NSE")).ltp
        let resting = try #require(try await paper.placeOrder(order("TCS", .buy, 1, .cnc, limit: PaperMarket.tick(tcs / 2))).orderID)
        _ = try await paper.placeOrder(order("ITC", .sell, 400, .cnc))  // 300 held: 100 more than held
        #expect(try await paper.positions().contains { $0.product == "MIS" && $0.quantity != 0 })

        // 16:00, after the close, and after a restart.
        clock.advance(by: 6 * 3600)
        let evening = try await broker()
        let orders = try await evening.orderBook().orders
        #expect(!orders.contains { $0.status == "open" })
        #expect(orders.first { $0.orderID == resting }?.status == "cancelled")
        let positions = try await evening.positions()
        #expect(positions.filter { $0.product == "MIS" }.allSatisfy { $0.quantity == 0 })
        let close = try await evening.quote(Instrument("NTPC", "NSE")).ltp
        #expect(try await evening.tradeBook().contains { $0.symbol == "NTPC" && $0.action == "SELL" && $0.quantity == 5 && $0.averagePrice == close })
        #expect(positions.first { $0.symbol == "WIPRO" && $0.product == "CNC" }?.quantity == 10)
        #expect(positions.first { $0.symbol == "ITC" && $0.product == "CNC" }?.quantity == -300)
        let eveningFunds = try await evening.funds()

        // Wednesday 10:00: a new session.
        clock.advance(by: 18 * 3600)
        let morning = try await broker()
        #expect(try await morning.orderBook().orders.isEmpty)
        #expect(try await morning.tradeBook().isEmpty)
        #expect(try await morning.positions().isEmpty)
        let holdings = try await morning.holdings().holdings
        let held = try #require(holdings.first { $0.symbol == "WIPRO" })
        let wiproNow = try await morning.quote(Instrument("WIPRO", "NSE")).ltp
        #expect(held.quantity == 10 && abs(held.pnl - (wiproNow - wiproFill) * 10) < 0.01)
        #expect(!holdings.contains { $0.symbol == "ITC" })
        // The realized P&L and the deliveries' cost and proceeds moved into cash: what was available stays available.
        let funds = try await morning.funds()
        #expect(funds.realizedPnL == 0 && funds.usedMargin == 0)
        #expect(abs(funds.availableCash - (eveningFunds.availableCash + 300 * (positions.first { $0.symbol == "ITC" }?.averagePrice ?? 0) * 2)) < 0.01)
        let next = try #require(try await morning.placeOrder(order("WIPRO", .sell, 10, .cnc)).orderID)
        #expect(next.hasPrefix("261125"))
    }

    @Test func aFreshAccountSeededAfterTheCloseKeepsItsDayUntilTheNextSession() async throws {
        defer { directory.remove() }
        clock.advance(by: 10 * 3600)  // 20:00
        let evening = try await broker()
        #expect(try await evening.positions().contains { $0.symbol == "RELIANCE" && $0.product == "MIS" && $0.quantity == 50 })
        #expect(try await evening.orderBook().orders.contains { $0.symbol == "ICICIBANK" && $0.status == "open" })
        clock.advance(by: 14 * 3600)  // Wednesday 10:00
        let morning = try await broker()
        #expect(try await morning.positions().isEmpty)
        #expect(try await morning.orderBook().orders.isEmpty)
        #expect(try await morning.funds().availableCash != PaperLedger.startingCash)  // the seeded day's P&L is in cash
    }
}
