import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Price alerts obey the owner's level (the alert fires whatever it is), and [alerts] order_check_interval is read and
/// range-checked.
@Suite struct NotificationLevelJobTests {
    @Test func aSilentAlertIsSentWithoutSoundAndAnOffAlertFiresUntold() async throws {
        let other = AlertFixture.user + 1
        let fixture = try await AlertFixture.make(users: [AlertFixture.user, other])
        try await fixture.store.setNotificationLevel(.silent, for: .priceAlerts, of: AlertFixture.user)
        try await fixture.store.setNotificationLevel(.off, for: .priceAlerts, of: other)
        let quiet = try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10)
        let untold = try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10, user: other)
        await fixture.fake.setQuote("RELIANCE", ltp: 1502)
        await fixture.check()
        let payloads = try await fixture.store.pendingOutbox().compactMap {
            try JSONSerialization.jsonObject(with: $0.message.payload) as? [String: Any]
        }
        #expect(payloads.count == 1)
        #expect(payloads.first?["disable_notification"] as? Bool == true)
        #expect((payloads.first?["chat_id"] as? NSNumber)?.int64Value == AlertFixture.user)
        #expect(try await fixture.store.alert(quiet, of: AlertFixture.user)?.state == .fired)
        #expect(try await fixture.store.alert(untold, of: other)?.state == .fired)
        await fixture.close()
    }

    @Test func orderCheckIntervalDefaultsTo15AndIsRangeChecked() throws {
        let base = "[telegram]\ntoken = \"1:A\"\n[alerts]\n"
        #expect(try ConfigLoader.parse(base).alerts.orderCheckInterval == 15)
        #expect(try ConfigLoader.parse(base + "order_check_interval = 60").alerts.orderCheckInterval == 60)
        #expect(OrderWatchJob.schedule(try ConfigLoader.parse(base + "order_check_interval = 60").alerts)
                == .within(window: "market_hours", .every(seconds: 60)))
        for bad in ["4", "86401", "-1", "\"15\"", "1e308"] {
            do {
                _ = try ConfigLoader.parse(base + "order_check_interval = \(bad)")
                Issue.record("order_check_interval = \(bad) was accepted")
            } catch {
                #expect("\(error)".contains("alerts.order_check_interval"), "\(bad): \(error)")
                #expect("\(error)".contains("line 4"), "\(bad): \(error)")
            }
        }
    }
}
