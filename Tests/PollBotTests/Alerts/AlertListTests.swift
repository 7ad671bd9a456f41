import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /alerts stays one message with a bounded keyboard however many alerts a user keeps: armed first, then the latest fired.
@Suite struct AlertListTests {
    @Test func manyAlertsShowFortyWithAButtonEachAndSayThereIsMore() async throws {
        let fixture = try await AlertFixture.make(alerts: "max_per_user = 100")
        await fixture.fake.setQuote("FIRED", ltp: 100)
        let fired = try await fixture.arm("FIRED", .above, 101, ltp: 100)
        for index in 0..<60 { try await fixture.arm("RELIANCE", .above, 1500 + Double(index), ltp: 1420.10) }
        await fixture.fake.setQuote("FIRED", ltp: 102)
        await fixture.check()
        let (html, keyboard) = try await AlertText.list(of: AlertFixture.user, services: fixture.services)
        let buttons = try #require(keyboard).rows.flatMap { $0 }
        #expect(html.contains("60 of 100 armed"))
        #expect(html.contains("and more armed"))
        #expect(html.count < 4096)
        #expect(buttons.count == AlertText.shown)
        #expect(buttons.allSatisfy { $0.text.hasPrefix("\u{1F5D1} Delete") })
        // The fired one is past the forty armed; deleting armed ones brings it into view with its Re-arm button.
        #expect(!html.contains("#\(fired) "))
        for alert in try await fixture.store.armedAlerts().prefix(30) {
            _ = try await fixture.store.deleteAlert(alert.id, of: AlertFixture.user)
        }
        let (after, afterKeyboard) = try await AlertText.list(of: AlertFixture.user, services: fixture.services)
        #expect(after.contains("#\(fired) <b>FIRED NSE</b> above 101.00 \u{00B7} fired"))
        #expect(!after.contains("and more armed"))
        #expect(afterKeyboard?.rows.last?.map(\.text) == ["\u{21BB} Re-arm #\(fired)", "\u{1F5D1} Delete #\(fired)"])
        await fixture.close()
    }
}
