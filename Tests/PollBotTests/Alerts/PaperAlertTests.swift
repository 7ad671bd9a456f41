import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport
import Testing

/// With the paper broker (the demo's), prices walk with the clock, so an alert armed just above the LTP fires once
/// within the session, at a price that met it.
@Suite struct PaperAlertTests {
    @Test func aPaperAlertFiresOnceAsThePriceWalks() async throws {
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
        try await PriceAlertJob.ensureScheduled(in: store, settings: config.alerts, now: clock.now)
        let scheduler = JobScheduler(store: store, registry: app.jobs, services: services, windows: app.jobWindows(services),
                                     logger: Logger(label: "test.alerts"), now: { clock.now })
        let user: Int64 = 7301
        let instrument = Instrument("RELIANCE", "NSE")
        let start = try await paper.broker(for: user).quote(instrument).ltp
        let level = (start * 1.002 * 100).rounded() / 100
        let upward = try await store.armAlert(userID: user, chatID: user, account: "paper", host: "paper", instrument: instrument,
                                              kind: .crosses, level: level, direction: .above, referencePrice: start,
                                              limit: 50, now: clock.now)
        let downward = try await store.armAlert(userID: user, chatID: user, account: "paper", host: "paper", instrument: instrument,
                                                kind: .crosses, level: (start * 0.998 * 100).rounded() / 100, direction: .below,
                                                referencePrice: start, limit: 50, now: clock.now)
        // Minute by minute through the session: a walk of a few hundred steps passes ±0.2 % at least one way.
        for _ in 0..<360 {
            clock.advance(by: 60)
            await scheduler.runDue()
        }
        let fired = try await store.alerts(of: user).filter { $0.state == .fired }
        #expect(!fired.isEmpty)
        for alert in fired {
            let price = try #require(alert.firedPrice)
            #expect(alert.id == upward ? price >= alert.level : price <= alert.level)
            #expect([upward, downward].contains(alert.id))
        }
        // One message per fired alert, each once.
        #expect(try await store.pendingOutbox().count == fired.count)
    }
}
