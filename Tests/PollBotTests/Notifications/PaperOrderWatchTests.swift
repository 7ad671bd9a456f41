import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport
import Testing

/// With the paper broker (the demo's), a resting limit order fills as the simulated price walks, and the watch tells
/// that fill once.
@Suite struct PaperOrderWatchTests {
    @Test func aPaperLimitOrderFillIsToldOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keyFile = directory.file("master.key")
        _ = try MasterKey.generate(to: keyFile)
        let config = try ConfigLoader.parse("""
            [telegram]
            token = "123456:TEST"
            [storage]
            path = "\(directory.file("pollbot.sqlite3"))"
            [security]
            key_file = "\(keyFile)"
            [broker]
            kind = "paper"
            """)
        let vault = Vault(current: try MasterKey.load(from: keyFile))
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        // Wednesday 09:20 in Mumbai, five minutes into the session.
        let clock = ManualDate(Date(timeIntervalSince1970: 1_767_757_800))
        let paper = PaperExchange(store: store, now: { clock.now })
        let hub = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault, paper: paper, retryDelays: [])
        let services = TraderServices(config: config, store: store, vault: vault, trading: hub)
        let app = TraderApp.app(config: config)
        try await OrderWatchJob.ensureScheduled(in: store, settings: config.alerts, now: clock.now)
        let scheduler = JobScheduler(store: store, registry: app.jobs, services: services, windows: app.jobWindows(services),
                                     logger: Logger(label: "test.orders"), now: { clock.now })
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
