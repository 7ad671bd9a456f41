import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// P&L thresholds on the scheduler: fire when the day's total reaches the level, once per day, again the next day,
/// at the user's level, and never on a total missing an account.
@Suite struct PnLThresholdJobTests {
    typealias Fixture = SummaryFixture

    func add(_ fixture: Fixture, _ direction: PnLThreshold.Direction, _ level: Double, user: Int64 = Fixture.user) async throws {
        _ = try await fixture.store.addThreshold(userID: user, chatID: user, direction: direction, level: level, limit: 10,
                                                 now: fixture.clock.now)
    }

    @Test func aThresholdFiresOncePerDayAndAgainTheNextDay() async throws {
        let fixture = try await Fixture.make()
        try await add(fixture, .below, -5000)
        await fixture.setPnL(realized: -3000, unrealized: -1500)
        await fixture.pass(at: Fixture.mumbai("11:00"))
        #expect(try await fixture.queued().isEmpty)
        await fixture.setPnL(realized: -3000, unrealized: -2250.5)
        await fixture.pass(at: Fixture.mumbai("11:01"))
        var texts = try await fixture.queued().map(\.text)
        #expect(texts.count == 1)
        #expect(texts.first?.contains("P&L below -\u{20B9}5,000.00") == true)
        #expect(texts.first?.contains("-\u{20B9}5,250.50 at 11:01:00") == true)
        // Still below, later the same day: nothing more.
        await fixture.pass(at: Fixture.mumbai("12:00"))
        await fixture.pass(at: Fixture.mumbai("15:00"))
        #expect(try await fixture.queued().filter { $0.text.contains("P&L below") }.count == 1)
        // The next trading day it fires again.
        await fixture.pass(at: Fixture.mumbai("10:00", daysAfterWednesday: 1))
        texts = try await fixture.queued().map(\.text).filter { $0.contains("P&L below") }
        #expect(texts.count == 2)
        await fixture.close()
    }

    @Test func aboveFiresAtTheLevelAndTheLevelsSetTheSound() async throws {
        let users: [Int64] = [Fixture.user, Fixture.user + 1, Fixture.user + 2]
        let fixture = try await Fixture.make(users: users)
        for user in users { try await add(fixture, .above, 10_000, user: user) }
        try await fixture.store.setNotificationLevel(.silent, for: .pnlThresholds, of: users[1])
        try await fixture.store.setNotificationLevel(.off, for: .pnlThresholds, of: users[2])
        await fixture.setPnL(realized: 10_000, unrealized: 0)
        await fixture.pass(at: Fixture.mumbai("11:00"))
        let queued = try await fixture.queued()
        #expect(queued.map(\.chat) == [users[0], users[1]])
        #expect(queued.map(\.silent) == [false, true])
        // Off is neither sent nor spent: the user turning it on later still hears today.
        #expect(try await fixture.store.thresholds(of: users[2]).first?.firedDay == nil)
        #expect(try await fixture.store.thresholds(of: users[0]).first?.firedDay == fixture.calendar.day(of: fixture.clock.now))
        await fixture.close()
    }

    @Test func nothingOutsideMarketHoursOrWhenAnAccountDoesNotAnswer() async throws {
        let fixture = try await Fixture.make()
        try await add(fixture, .above, 0)
        await fixture.setPnL(realized: 500, unrealized: 0)
        await fixture.fake.inject(.status(500, message: "down"), for: "funds", times: 1)
        await fixture.pass(at: Fixture.mumbai("11:00"))
        #expect(try await fixture.queued().isEmpty)
        // After the close (15:30, before the summary): no check at all.
        let calls = await fixture.fake.calls("funds")
        await fixture.pass(at: Fixture.mumbai("15:35"))
        #expect(try await fixture.queued().isEmpty)
        #expect(await fixture.fake.calls("funds") == calls)
        await fixture.close()
    }

    @Test func aThresholdRemovedWhileItWasCheckedIsNotAnnounced() async throws {
        let fixture = try await Fixture.make()
        try await add(fixture, .above, 0)
        _ = try await fixture.store.deleteThresholds(of: Fixture.user)
        await #expect(throws: JobFailure.self) { try await fixture.store.markThresholdsFired([1], on: 1) }
        await fixture.pass(at: Fixture.mumbai("11:00"))
        #expect(try await fixture.queued().isEmpty)
        await fixture.close()
    }
}
