@testable import BotKit
import Foundation
import Testing

/// Daily jobs computed from tzdata fall where Foundation's Calendar (ICU) put them, daylight-saving days included.
@Suite struct DailyScheduleZoneTests {
    static func calendarNext(hour: Int, minute: Int, zone: String, after now: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        return calendar.nextDate(after: now, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime)
    }

    /// Zones whose clocks change on the hour, at times none of them skips or repeats (the two differ on purpose there: below).
    @Test(arguments: ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata"])
    func everyDailyTimeMatchesTheCalendarForAYear(_ zone: String) {
        var mismatches: [String] = []
        // Every 10 hours 13 minutes over 2026: each daylight-saving change is passed from several sides.
        for step in stride(from: 0, to: 366 * 24 * 60, by: 613) {
            let now = Date(timeIntervalSince1970: 1_767_225_600 + Double(step * 60))
            for (hour, minute) in [(0, 0), (3, 30), (9, 15), (23, 59)] {
                let ours = JobSchedule.nextDaily(hour: hour, minute: minute, zone: zone, after: now)
                let theirs = Self.calendarNext(hour: hour, minute: minute, zone: zone, after: now)
                if ours != theirs { mismatches.append("\(hour):\(minute) after \(now): \(String(describing: ours)) vs \(String(describing: theirs))") }
            }
        }
        #expect(mismatches.isEmpty, "\(zone): \(mismatches.count) mismatches, first \(mismatches.prefix(3))")
    }

    @Test func aDailyJobAt0230OnTheSpringForwardDayRunsWhenTheClockJumpsPastIt() {
        // New York skips 02:00 to 03:00 on 8 March 2026 (07:00 UTC); the next day 02:30 EDT is 06:30 UTC.
        let after = ISO8601DateFormatter().date(from: "2026-03-08T05:00:00Z")!
        let first = JobSchedule.nextDaily(hour: 2, minute: 30, zone: "America/New_York", after: after)
        #expect(first == ISO8601DateFormatter().date(from: "2026-03-08T07:00:00Z"))
        #expect(JobSchedule.nextDaily(hour: 2, minute: 30, zone: "America/New_York", after: first!)
                == ISO8601DateFormatter().date(from: "2026-03-09T06:30:00Z"))
    }

    @Test func aSkippedTimeRunsAtTheJumpAndARepeatedTimeRunsOnce() {
        let utc = { (text: String) in ISO8601DateFormatter().date(from: text)! }
        // Chatham jumps from 02:45 to 03:45 on 27 September 2026 (14:00 UTC the day before). Calendar's .nextTime
        // gives 04:00 for a skipped 03:30; the job runs at the jump instead, the first moment past its time.
        #expect(JobSchedule.nextDaily(hour: 3, minute: 30, zone: "Pacific/Chatham", after: utc("2026-09-26T05:00:00Z"))
                == utc("2026-09-26T14:00:00Z"))
        // 01:30 happens twice in New York on 1 November 2026 (05:30 and 06:30 UTC). A run that started at the first,
        // a second late, is next due the day after; Calendar would run it again at the second, twice in one day.
        #expect(JobSchedule.nextDaily(hour: 1, minute: 30, zone: "America/New_York", after: utc("2026-11-01T05:30:01Z"))
                == utc("2026-11-02T06:30:00Z"))
        #expect(Self.calendarNext(hour: 1, minute: 30, zone: "America/New_York", after: utc("2026-11-01T05:30:01Z"))
                == utc("2026-11-01T06:30:00Z"))
    }
}
