import BotKit
import Foundation
@testable import PollBot
import TestSupport

/// The order watch on a real SQLite file and the fake OpenAlgo over libcurl, run by the engine's scheduler on a manual
/// clock (a Wednesday in market hours): `cycle()` is one read of every watched book.
struct OrderWatchFixture {
    let alerts: AlertFixture

    var fake: FakeOpenAlgo { alerts.fake }
    var store: BotStore { alerts.store }
    static let user = AlertFixture.user

    static func make(users: [Int64] = [user], fake: FakeOpenAlgo? = nil, directory: TemporaryDirectory? = nil,
                     start: Date = AlertFixture.marketOpen) async throws -> OrderWatchFixture {
        let alerts = try await AlertFixture.make(users: users, fake: fake, directory: directory, start: start)
        try await OrderWatchJob.ensureScheduled(in: alerts.store, settings: alerts.services.config.alerts, now: alerts.clock.now)
        return OrderWatchFixture(alerts: alerts)
    }

    /// The same database and fake after a restart, the clock where it was.
    func restarted(users: [Int64] = [user]) async throws -> OrderWatchFixture {
        try await Self.make(users: users, fake: fake, directory: alerts.directory, start: alerts.clock.now)
    }

    /// One scheduler pass an interval after the last.
    func cycle() async { await alerts.check(after: 15) }

    /// A limit order placed from outside the bot (OpenAlgo's own UI, another app): open in the book. Its id.
    func placeOutside(quantity: Int = 10, price: Double = 1400) async throws -> String {
        let client = OpenAlgoClient(host: fake.host, apiKey: BrokerRig.apiKey, timeout: .seconds(5))
        let placement = try await client.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: quantity,
                                                                 priceType: .limit, price: price, product: .cnc))
        guard case .placed(let id) = placement.outcome else { throw JobFailure("not placed: \(placement)") }
        return id
    }

    /// The texts queued, tags removed, oldest first.
    func texts() async throws -> [String] { try await alerts.queuedTexts() }

    /// The queued messages' payloads as JSON objects, oldest first.
    func payloads() async throws -> [[String: Any]] {
        try await store.pendingOutbox().compactMap { try JSONSerialization.jsonObject(with: $0.message.payload) as? [String: Any] }
    }

    func close() async { await alerts.close() }
}
