import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The daily summary on the scheduler: at 15:45 on trading days only, once after downtime (saying it is late), stored
/// as snapshots in the commit that queues it, at the user's level.
@Suite struct DailySummaryJobTests {
    typealias Fixture = SummaryFixture

    @Test func theSummaryGoesOutAtQuarterToFourOnATradingDayWithTheDaysFigures() async throws {
        let fixture = try await Fixture.make()
        await fixture.pass(at: Fixture.mumbai("15:44"))
        #expect(try await fixture.queued().isEmpty)
        await fixture.pass(at: Fixture.mumbai("15:45"))
        let queued = try await fixture.queued()
        #expect(queued.count == 1)
        let summary = try #require(queued.first)
        #expect(summary.chat == Fixture.user)
        #expect(summary.text.contains("Daily summary · Wed 7 Jan 2026"))
        #expect(!summary.text.contains("Late"))
        // The fake's funds: realized -12.50, unrealized +45.25; 48 complete and 10 rejected orders; four open positions.
        #expect(summary.text.contains("+\u{20B9}32.75"))
        #expect(summary.text.contains("realized -12.50 · unrealized +45.25"))
        #expect(summary.text.contains("orders filled 48 · rejected 10"))
        #expect(summary.text.contains("open positions: 4"))
        #expect(summary.text.contains("SBIN NSE SHORT 100"))
        #expect(!summary.text.contains("TCS NSE"))
        // The daily summary's default level is silent.
        #expect(summary.silent)
        let snapshots = try await fixture.store.snapshots(of: Fixture.user, from: 0)
        #expect(snapshots == [DailySnapshot(userID: Fixture.user, day: fixture.calendar.day(of: Fixture.wednesday), account: "main",
                                            realized: -12.5, unrealized: 45.25, fills: 48, rejections: 10)])
        // Later passes the same day add nothing.
        await fixture.pass(at: Fixture.mumbai("15:50"))
        await fixture.pass(at: Fixture.mumbai("23:59"))
        #expect(try await fixture.queued().count == 1)
        await fixture.close()
    }

    @Test func noSummaryOnAWeekendOrAHoliday() async throws {
        // Friday 23 Jan 2026; Monday 26 Jan is Republic Day.
        let fixture = try await Fixture.make(start: Fixture.mumbai("11:00", daysAfterWednesday: 16))
        for day in 16...20 { await fixture.pass(at: Fixture.mumbai("15:45", daysAfterWednesday: day)) }
        let texts = try await fixture.queued().map(\.text)
        #expect(texts.count == 2)
        #expect(texts.first?.contains("Fri 23 Jan 2026") == true)
        #expect(texts.last?.contains("Tue 27 Jan 2026") == true)
        #expect(texts.allSatisfy { !$0.contains("Late") })
        #expect(try await fixture.store.snapshots(of: Fixture.user, from: 0).count == 2)
        await fixture.close()
    }

    @Test func threeDaysDownGiveOneLateSummaryNotThree() async throws {
        let first = try await Fixture.make()
        await first.pass(at: Fixture.mumbai("12:00"))
        // Down from Wednesday noon to Saturday noon: Wednesday's, Thursday's and Friday's summaries were missed.
        let fixture = try await first.restarted(at: Fixture.mumbai("12:00", daysAfterWednesday: 3))
        await fixture.pass(at: fixture.clock.now)
        let texts = try await fixture.queued().map(\.text)
        #expect(texts.count == 1)
        let late = try #require(texts.first)
        #expect(late.contains("Late: the summary due 15:45 on Fri 9 Jan 2026 was missed"))
        #expect(late.contains("figures at 12:00 on Sat 10 Jan 2026"))
        // Saturday's run reports on the last trading day.
        #expect(late.contains("Daily summary · Fri 9 Jan 2026"))
        #expect(try await fixture.store.snapshots(of: Fixture.user, from: 0).map(\.day) == [fixture.calendar.day(of: Fixture.mumbai("12:00", daysAfterWednesday: 2))])
        // The weekend stays quiet; Monday's summary is on time again.
        for day in 3...5 { await fixture.pass(at: Fixture.mumbai("15:45", daysAfterWednesday: day)) }
        let after = try await fixture.queued().map(\.text)
        #expect(after.count == 2)
        #expect(after.last?.contains("Daily summary · Mon 12 Jan 2026") == true)
        #expect(after.last?.contains("Late") == false)
        await fixture.close()
    }

    @Test func aCrashBeforeTheCommitNeitherSendsNorStores() async throws {
        let fixture = try await Fixture.make()
        // A second connection makes the outbox refuse rows: the run's commit fails as a crash before it would.
        let other = try SQLiteDatabase(path: fixture.directory.file("pollbot.sqlite3"))
        try other.execute("CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        await fixture.pass(at: Fixture.mumbai("15:45"))
        #expect(try await fixture.queued().isEmpty)
        #expect(try await fixture.store.snapshots(of: Fixture.user, from: 0).isEmpty)
        #expect(try await fixture.store.job(DailySummaryJob.self, key: DailySummaryJob.key)?.failures == 1)
        // Once the store takes rows again, the retry sends the summary and stores its snapshot, once.
        try other.execute("DROP TRIGGER no_outbox")
        await fixture.pass(at: Fixture.mumbai("15:46"))
        await fixture.pass(at: Fixture.mumbai("15:50"))
        #expect(try await fixture.queued().count == 1)
        #expect(try await fixture.store.snapshots(of: Fixture.user, from: 0).count == 1)
        await fixture.close()
    }

    @Test func levelsOnSilentAndOffDecideTheSoundAndWhetherItGoesAtAll() async throws {
        let users: [Int64] = [Fixture.user, Fixture.user + 1, Fixture.user + 2]
        let fixture = try await Fixture.make(users: users)
        try await fixture.store.setNotificationLevel(.on, for: .dailySummary, of: users[1])
        try await fixture.store.setNotificationLevel(.off, for: .dailySummary, of: users[2])
        await fixture.pass(at: Fixture.mumbai("15:45"))
        let queued = try await fixture.queued()
        #expect(queued.map(\.chat) == [users[0], users[1]])
        #expect(queued.map(\.silent) == [true, false])
        // Off: no summary, and no broker calls or snapshot for it either.
        #expect(try await fixture.store.snapshots(of: users[2], from: 0).isEmpty)
        #expect(await fixture.fake.calls("funds") == 2)
        await fixture.close()
    }

    @Test func aBrokerDownForEveryoneRetriesInsteadOfSendingNothingButErrors() async throws {
        let fixture = try await Fixture.make()
        await fixture.fake.inject(.status(500, message: "broker down"), for: "funds", times: 1)
        await fixture.pass(at: Fixture.mumbai("15:45"))
        #expect(try await fixture.queued().isEmpty)
        await fixture.pass(at: Fixture.mumbai("15:46"))
        let texts = try await fixture.queued().map(\.text)
        #expect(texts.count == 1)
        #expect(texts.first?.contains("orders filled 48") == true)
        await fixture.close()
    }
}
