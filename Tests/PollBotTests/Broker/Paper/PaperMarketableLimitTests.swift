@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// A limit order the LTP already crosses when it is placed is marketable: an exchange fills it at the market price,
/// never worse, so the paper account must not charge the buyer the (higher) limit or pay the seller the (lower) one.
@Suite struct PaperMarketableLimitTests {
    /// Wednesday 2026-11-18, 11:00 IST: the market is open.
    let clock = ManualDate(Date(timeIntervalSince1970: 1_795_494_600))

    @Test func aMarketableBuyOrSellLimitFillsAtTheLTPNotAtTheLimit() async throws {
        let paper = await PaperExchange(now: { [clock] in clock.now }).broker(for: 43)
        let ltp = try await paper.quote(Instrument("WIPRO", "NSE")).ltp
        let buy = try #require(try await paper.placeOrder(OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .buy, quantity: 10,
                                                                       priceType: .limit, price: PaperMarket.tick(ltp * 1.04),
                                                                       product: .mis)).orderID)
        let bought = try await paper.orderStatus(id: buy)
        #expect(bought.order.status == "complete" && bought.averagePrice == ltp)
        let sell = try #require(try await paper.placeOrder(OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .sell, quantity: 10,
                                                                        priceType: .limit, price: PaperMarket.tick(ltp * 0.96),
                                                                        product: .mis)).orderID)
        #expect(try await paper.orderStatus(id: sell).averagePrice == ltp)
        // Bought and sold at the same LTP: the round trip neither made nor lost money.
        let position = try #require(try await paper.positions().first { $0.symbol == "WIPRO" })
        #expect(position.quantity == 0 && abs(position.pnl) < 0.001)
    }
}

extension PaperMarketableLimitTests {
    @Test func aRestingLimitModifiedAcrossTheLTPFillsAtTheLTP() async throws {
        let paper = await PaperExchange(now: { [clock] in clock.now }).broker(for: 44)
        let ltp = try await paper.quote(Instrument("WIPRO", "NSE")).ltp
        let low = PaperMarket.tick(ltp * 0.9)
        let id = try #require(try await paper.placeOrder(OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .buy, quantity: 10,
                                                                      priceType: .limit, price: low, product: .mis)).orderID)
        #expect(try await paper.orderStatus(id: id).order.status == "open")
        _ = try await paper.modifyOrder(id: id, to: OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .buy, quantity: 10,
                                                                 priceType: .limit, price: PaperMarket.tick(ltp * 1.04), product: .mis))
        let filled = try await paper.orderStatus(id: id)
        #expect(filled.order.status == "complete" && filled.averagePrice == ltp)
    }
}
