import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The price alert check on the scheduler: fires once on the crossing price in the commit that queues its message,
/// survives restarts, batches symbols per host, and never fires on a missing or absurd price.
@Suite struct PriceAlertJobTests {
    @Test func anAlertFiresExactlyOnceWhenThePriceCrossesAndNotBefore() async throws {
        let fixture = try await AlertFixture.make()
        let id = try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10)
        await fixture.check()
        #expect(try await fixture.queuedTexts().isEmpty)
        await fixture.fake.setQuote("RELIANCE", ltp: 1499.95)
        await fixture.check()
        #expect(try await fixture.queuedTexts().isEmpty)
        await fixture.fake.setQuote("RELIANCE", ltp: 1502.35)
        await fixture.check()
        let texts = try await fixture.queuedTexts()
        #expect(texts.count == 1)
        let text = try #require(texts.first)
        #expect(text.contains("RELIANCE NSE above 1,500.00"))
        #expect(text.contains("LTP 1,502.35"))
        // The time of the check that saw the price, in the bot's time zone (11:00:30 in Mumbai).
        #expect(text.contains("11:00:30"))
        let stored = try #require(try await fixture.store.alert(id, of: AlertFixture.user))
        #expect(stored.state == .fired)
        #expect(stored.firedPrice == 1502.35)
        #expect(stored.firedAt == fixture.clock.now)
        // The price staying above fires nothing more, and a fired alert costs no further call.
        let calls = await fixture.fake.calls("multiquotes")
        await fixture.check()
        await fixture.check()
        #expect(try await fixture.queuedTexts().count == 1)
        #expect(await fixture.fake.calls("multiquotes") == calls)
        await fixture.close()
    }

    @Test func crossesFiresInBothDirectionsFromTheSideItWasArmedOn() async throws {
        let fixture = try await AlertFixture.make()
        let up = try await fixture.arm("RELIANCE", .crosses, 1430, ltp: 1420.10)
        let down = try await fixture.arm("RELIANCE", .crosses, 1410, ltp: 1420.10)
        await fixture.fake.setQuote("RELIANCE", ltp: 1425)
        await fixture.check()
        #expect(try await fixture.queuedTexts().isEmpty)
        await fixture.fake.setQuote("RELIANCE", ltp: 1430.05)
        await fixture.check()
        #expect(try await fixture.store.alert(up, of: AlertFixture.user)?.state == .fired)
        #expect(try await fixture.store.alert(down, of: AlertFixture.user)?.state == .armed)
        await fixture.fake.setQuote("RELIANCE", ltp: 1409.5)
        await fixture.check()
        #expect(try await fixture.store.alert(down, of: AlertFixture.user)?.state == .fired)
        let texts = try await fixture.queuedTexts()
        #expect(texts.count == 2)
        #expect(texts.first?.contains("crosses 1,430.00 (upwards)") == true)
        #expect(texts.last?.contains("crosses 1,410.00 (downwards)") == true)
        await fixture.close()
    }

    @Test func anAlertArmedBeforeARestartFiresAfterIt() async throws {
        let first = try await AlertFixture.make()
        try await first.arm("TCS", .below, 3400, ltp: 3461.2)
        await first.check()
        let second = try await first.restarted()
        await second.fake.setQuote("TCS", ltp: 3399)
        await second.check()
        let texts = try await second.queuedTexts()
        #expect(texts.count == 1)
        #expect(texts.first?.contains("TCS NSE below 3,400.00") == true)
        // The job's row survived too: the restart did not schedule a second one.
        #expect(try await second.store.jobs(kind: PriceAlertJob.name).count == 1)
        await second.close()
    }

    @Test func aThousandAlertsOnTwoHundredSymbolsCostOneMultiquotesCallPerCycle() async throws {
        let users = (0..<10).map { AlertFixture.user + Int64($0) }
        let fixture = try await AlertFixture.make(users: users)
        for index in 0..<200 { await fixture.fake.setQuote("SYM\(index)", ltp: 100) }
        for index in 0..<1000 {
            try await fixture.arm("SYM\(index % 200)", .above, 110 + Double(index / 200), ltp: 100, user: users[index % 10])
        }
        await fixture.check()
        #expect(await fixture.fake.calls("multiquotes") == 1)
        // Symbols 0-49 rise to 111.5: for each, the alerts at 110 and 111 fire (index / 200 is 0 or 1), 100 in all.
        for index in 0..<50 { await fixture.fake.setQuote("SYM\(index)", ltp: 111.5) }
        await fixture.check()
        #expect(await fixture.fake.calls("multiquotes") == 2)
        #expect(try await fixture.queuedTexts().count == 100)
        #expect(try await fixture.store.armedAlerts().count == 900)
        await fixture.close()
    }

    @Test func aMissingZeroOrAbsurdPriceNeverFiresAndAGoodOneThenDoes() async throws {
        let fixture = try await AlertFixture.make()
        for symbol in ["GONE", "ZERO", "NAN", "INF"] {
            await fixture.fake.setQuote(symbol, ltp: 100)
            try await fixture.arm(symbol, .below, 90, ltp: 100)
        }
        await fixture.fake.removeQuote("GONE")
        await fixture.fake.setQuote("ZERO", ltp: 0)
        await fixture.fake.setQuote("NAN", ltp: .nan)
        await fixture.fake.setQuote("INF", ltp: -.infinity)
        await fixture.check()
        #expect(try await fixture.queuedTexts().isEmpty)
        #expect(try await fixture.store.armedAlerts().count == 4)
        // The whole host failing (a 500) fires nothing either; the run is counted as failed and retried.
        await fixture.fake.setQuote("ZERO", ltp: 80)
        await fixture.fake.inject(.status(500, message: "broker down"), for: "multiquotes")
        await fixture.check()
        #expect(try await fixture.queuedTexts().isEmpty)
        #expect(try await fixture.store.job(PriceAlertJob.self, key: PriceAlertJob.key)?.failures == 1)
        await fixture.check(after: 60)
        let texts = try await fixture.queuedTexts()
        #expect(texts.count == 1)
        #expect(texts.first?.contains("ZERO NSE below 90.00") == true)
        await fixture.close()
    }

    @Test func whileTheMarketIsClosedNothingIsChecked() async throws {
        let fixture = try await AlertFixture.make(alerts: "market_hours_only = true", start: AlertFixture.sunday)
        try await fixture.arm("RELIANCE", .above, 1400, ltp: 1300)
        await fixture.check()
        await fixture.check()
        #expect(await fixture.fake.calls("multiquotes") == 0)
        #expect(try await fixture.queuedTexts().isEmpty)
        // Wednesday 11:00 in Mumbai: the window opens and the first check fires the alert.
        await fixture.check(after: AlertFixture.marketOpen.timeIntervalSince(fixture.clock.now))
        #expect(await fixture.fake.calls("multiquotes") == 1)
        #expect(try await fixture.queuedTexts().count == 1)
        await fixture.close()
    }

    @Test func anAlertDeletedWhileItWasCheckedIsNeverAnnounced() async throws {
        let fixture = try await AlertFixture.make()
        let id = try await fixture.arm("RELIANCE", .above, 1400, ltp: 1300)
        // The check's store work finds the alert gone and drops the whole run, message included.
        let marks = [(id: id, price: 1420.1)]
        #expect(try await fixture.store.deleteAlert(id, of: AlertFixture.user))
        await #expect(throws: JobFailure.self) { try await fixture.store.markAlertsFired(marks, at: fixture.clock.now) }
        await fixture.check()
        #expect(try await fixture.queuedTexts().isEmpty)
        await fixture.close()
    }
}
