@testable import BotKit
import Foundation
import TestSupport
import Testing

/// When schedules fall, and which schedules are refused before they are stored.
@Suite struct JobScheduleTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func dailyAt1545InKolkataIs1015UTCTodayOrTheNextDay() {
        let kolkata = JobSchedule.daily(hour: 15, minute: 45, timeZone: "Asia/Kolkata")
        // 15:30 in Kolkata: today's slot is still ahead.
        #expect(kolkata.next(after: Self.utc("2026-01-05T10:00:00Z")) == Self.utc("2026-01-05T10:15:00Z"))
        // 17:30 in Kolkata: tomorrow's.
        #expect(kolkata.next(after: Self.utc("2026-01-05T12:00:00Z")) == Self.utc("2026-01-06T10:15:00Z"))
        // Exactly at the slot: the next one, so a run at its time is not repeated.
        #expect(kolkata.next(after: Self.utc("2026-01-05T10:15:00Z")) == Self.utc("2026-01-06T10:15:00Z"))
        // Across a year's end.
        #expect(kolkata.next(after: Self.utc("2025-12-31T11:00:00Z")) == Self.utc("2026-01-01T10:15:00Z"))
    }

    @Test func dailyFollowsDaylightSavingTime() {
        let newYork = JobSchedule.daily(hour: 9, minute: 30, timeZone: "America/New_York")
        // 09:30 EST is 14:30 UTC; after the switch on 8 March 2026, 09:30 EDT is 13:30 UTC.
        #expect(newYork.next(after: Self.utc("2026-03-06T15:00:00Z")) == Self.utc("2026-03-09T13:30:00Z").addingTimeInterval(-2 * 86_400 + 3600))
        #expect(newYork.next(after: Self.utc("2026-03-08T15:00:00Z")) == Self.utc("2026-03-09T13:30:00Z"))
    }

    @Test func everyRunsAtOnceThenEveryIntervalAfterEachStart() {
        let start = Self.utc("2026-01-05T10:00:00Z")
        #expect(JobSchedule.every(seconds: 10).firstRun(now: start) == start)
        #expect(JobSchedule.every(seconds: 10).next(after: start) == start.addingTimeInterval(10))
        #expect(JobSchedule.once(at: start).next(after: start) == nil)
        #expect(JobSchedule.within(window: "w", .every(seconds: 10)).next(after: start) == start.addingTimeInterval(10))
    }

    @Test func hostileSchedulesAreRefusedWithAReasonAndStoreNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("jobs.sqlite3"))
        let hostile: [JobSchedule] = [
            .every(seconds: 0), .every(seconds: -5), .every(seconds: Int.max),
            .daily(hour: 24, minute: 0, timeZone: "UTC"), .daily(hour: 15, minute: 60, timeZone: "UTC"),
            .daily(hour: -1, minute: 0, timeZone: "UTC"), .daily(hour: 15, minute: 45, timeZone: "Mars/Olympus_Mons"),
            .once(at: Date(timeIntervalSince1970: .nan)), .once(at: Date(timeIntervalSince1970: .infinity)),
            .once(at: Date(timeIntervalSince1970: 1e308)),
            .within(window: "", .every(seconds: 10)), .within(window: "a", .within(window: "b", .every(seconds: 10))),
        ]
        for schedule in hostile {
            let error = await #expect(throws: JobScheduleError.self) {
                try await store.scheduleJob(CountingJob.self, key: "k", parameters: .init(), schedule: schedule)
            }
            #expect(error?.description.isEmpty == false)
        }
        #expect(try await store.jobs().isEmpty)
    }
}
