import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The buttons under a fired alert: Re-arm arms it again from the LTP now (refused while the level is still met),
/// Delete removes it; both are the owner's.
@Suite struct AlertRearmTests {
    @Test func reArmWatchesAgainFromThePriceNowAndFiresOnTheNextCrossing() async throws {
        let fixture = try await AlertFixture.make()
        let id = try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10)
        await fixture.fake.setQuote("RELIANCE", ltp: 1501)
        await fixture.check()
        let fired = try #require(try await fixture.queued().first)
        #expect(fired.buttons.count == 2)
        let rearm = try #require(fired.buttons.first { $0.hasSuffix("alert:arm:\(id):msg") })
        #expect(rearm.hasPrefix("u\(AlertFixture.user)|"))
        // Still above the level: re-arming would fire at once, so it is refused and the alert stays fired.
        await #expect(throws: UserError.self) { try await fixture.press(rearm) }
        #expect(try await fixture.store.alert(id, of: AlertFixture.user)?.state == .fired)
        await fixture.fake.setQuote("RELIANCE", ltp: 1450)
        let reply = try await fixture.press(rearm)
        #expect(reply.toast == "Re-armed")
        #expect(reply.messages.first?.method == "editMessageText")
        let stored = try #require(try await fixture.store.alert(id, of: AlertFixture.user))
        #expect(stored.state == .armed)
        #expect(stored.referencePrice == 1450)
        #expect(stored.firedAt == nil)
        // A second press finds it armed already and changes nothing.
        #expect(try await fixture.press(rearm).toast == "Alert #\(id) is not fired")
        await fixture.check()
        #expect(try await fixture.queuedTexts().count == 1)
        await fixture.fake.setQuote("RELIANCE", ltp: 1505.5)
        await fixture.check()
        let texts = try await fixture.queuedTexts()
        #expect(texts.count == 2)
        #expect(texts.last?.contains("LTP 1,505.50") == true)
        await fixture.close()
    }

    @Test func deleteOnAFiredAlertRemovesItAndAnotherUsersPressFindsNothing() async throws {
        let other = AlertFixture.user + 1
        let fixture = try await AlertFixture.make(users: [AlertFixture.user, other])
        let id = try await fixture.arm("TCS", .below, 3400, ltp: 3461.2)
        await fixture.fake.setQuote("TCS", ltp: 3390)
        await fixture.check()
        let fired = try #require(try await fixture.queued().first)
        let delete = try #require(fired.buttons.first { $0.hasSuffix("alert:del:\(id):msg") })
        let rearm = try #require(fired.buttons.first { $0.hasSuffix("alert:arm:\(id):msg") })
        // Even past the router's owner check, the store only touches the presser's own alerts.
        #expect(try await fixture.press(delete, by: other).toast == "Alert #\(id) was already gone")
        #expect(try await fixture.press(rearm, by: other).toast == "Alert #\(id) is not fired")
        #expect(try await fixture.store.alert(id, of: AlertFixture.user)?.state == .fired)
        #expect(try await fixture.press(delete).toast == "Alert #\(id) deleted")
        #expect(try await fixture.store.alert(id, of: AlertFixture.user)?.state == .deleted)
        #expect(try await fixture.store.alerts(of: AlertFixture.user).isEmpty)
        await fixture.close()
    }

    @Test func reArmRespectsTheLimitPerUser() async throws {
        let fixture = try await AlertFixture.make(alerts: "max_per_user = 1")
        let id = try await fixture.arm("TCS", .below, 3400, ltp: 3461.2, limit: 1)
        await #expect(throws: BotStore.AlertRefusal.limit(1)) { try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10, limit: 1) }
        await fixture.fake.setQuote("TCS", ltp: 3390)
        await fixture.check()
        try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10, limit: 1)
        await fixture.fake.setQuote("TCS", ltp: 3450)
        let rearm = try #require(try await fixture.queued().first?.buttons.first { $0.hasSuffix("alert:arm:\(id):msg") })
        await #expect(throws: UserError.self) { try await fixture.press(rearm) }
        #expect(try await fixture.store.alert(id, of: AlertFixture.user)?.state == .fired)
        await fixture.close()
    }
}
