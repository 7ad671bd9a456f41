import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// With the paper broker (the demo's), a resting limit order fills as the simulated price walks, and the watch tells
/// that fill once.
@Suite struct PaperOrderWatchTests {
    @Test func aPaperLimitOrderFillIsToldOnce() async throws {
        let rig = try await PaperJobRig.make(label: "test.orders")
        defer { rig.directory.remove() }
        let (store, clock, paper, scheduler) = (rig.store, rig.clock, rig.paper, rig.scheduler)
        try await OrderWatchJob.ensureScheduled(in: store, settings: rig.config.alerts, now: clock.now)
        let user: Int64 = 7401
        let broker = await paper.broker(for: user)
        let ltp = try await broker.quote(Instrument("RELIANCE", "NSE")).ltp
        // A first order makes the paper account, and the first sight of its book is silent.
        _ = try await broker.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 1, priceType: .market,
                                                     product: .mis))
        clock.advance(by: 15)
        await scheduler.runDue()
        #expect(try await store.pendingOutbox().isEmpty)
        // Resting either side of the price: a walk of a few hundred steps passes ±0.2 % at least one way.
        var resting: [String] = []
        for (action, factor) in [(OrderAction.buy, 0.998), (.sell, 1.002)] {
            let placement = try await broker.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: action, quantity: 1, priceType: .limit,
                                                         price: (ltp * factor * 20).rounded() / 20, product: .mis))
            guard case .placed(let id) = placement.outcome else { throw JobFailure("not placed: \(placement)") }
            resting.append(id)
        }
        for _ in 0..<360 {
            clock.advance(by: 60)
            await scheduler.runDue()
        }
        let book = try await broker.orderBook().orders
        // The demo seeds the account with orders of its own; only the two resting ones change after the first sight.
        let filled = book.filter { resting.contains($0.orderID) && OrderChange.phase($0.status) == .complete }
        #expect(!filled.isEmpty)
        let texts = try await store.pendingOutbox().compactMap {
            (try JSONSerialization.jsonObject(with: $0.message.payload) as? [String: Any])?["text"] as? String
        }
        #expect(texts.count == filled.count)
        for order in filled {
            #expect(texts.filter { $0.contains(order.orderID) && $0.contains("<b>Filled</b>") }.count == 1)
        }
    }
}
