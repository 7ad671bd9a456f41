import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// With the paper broker (the demo's), prices walk with the clock, so an alert armed just above the LTP fires once
/// within the session, at a price that met it.
@Suite struct PaperAlertTests {
    @Test func aPaperAlertFiresOnceAsThePriceWalks() async throws {
        let rig = try await PaperJobRig.make(label: "test.alerts")
        defer { rig.directory.remove() }
        let (store, clock, paper, scheduler) = (rig.store, rig.clock, rig.paper, rig.scheduler)
        try await PriceAlertJob.ensureScheduled(in: store, settings: rig.config.alerts, now: clock.now)
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
