import Foundation

/// When a job runs: once, every N seconds, daily at a local time, or any of these only while an app window is open.
public indirect enum JobSchedule: Codable, Sendable, Equatable {
    /// Once, at `at` (or as soon as the scheduler runs after it).
    case once(at: Date)
    /// At once when scheduled, then every `seconds` after each run's start; missed runs collapse into one.
    case every(seconds: Int)
    /// Every day at `hour`:`minute` in the IANA time zone `timeZone`; a missed day runs once, late, then the normal time resumes.
    case daily(hour: Int, minute: Int, timeZone: String)
    /// `schedule`'s times, run only when the app's predicate registered as `window` says yes at that time; a time it
    /// refuses is skipped (a one-off looks again after `JobSettings.windowRetry`).
    case within(window: String, JobSchedule)

    /// The longest interval `every` accepts: a year.
    public static let longestInterval = 366 * 86_400

    /// Throws `JobScheduleError` when the schedule can never run as meant (a bad time zone, hour or interval).
    public func validate() throws {
        switch self {
        case .once(let at):
            guard at.timeIntervalSince1970.isFinite, abs(at.timeIntervalSince1970) < 1e11 else {
                throw JobScheduleError("the time of a one-off job is not a real date")
            }
        case .every(let seconds):
            guard (1...Self.longestInterval).contains(seconds) else {
                throw JobScheduleError("an interval must be 1 to \(Self.longestInterval) seconds, not \(seconds)")
            }
        case .daily(let hour, let minute, let zone):
            guard (0...23).contains(hour), (0...59).contains(minute) else {
                throw JobScheduleError("a daily time must be 00:00 to 23:59, not \(hour):\(minute)")
            }
            guard ZoneRules.named(zone) != nil else { throw JobScheduleError("unknown time zone \(zone)") }
        case .within(let window, let inner):
            guard !window.isEmpty else { throw JobScheduleError("a window needs a name") }
            if case .within = inner { throw JobScheduleError("one window per schedule") }
            try inner.validate()
        }
    }

    /// The window this schedule is limited to, if any.
    public var window: String? {
        if case .within(let window, _) = self { return window }
        return nil
    }

    /// The first run of a job scheduled at `now`.
    func firstRun(now: Date) -> Date {
        switch self {
        case .once(let at): at
        case .every: now
        case .daily: next(after: now) ?? now
        case .within(_, let inner): inner.firstRun(now: now)
        }
    }

    /// The run after one that started at `now`; nil for a one-off (it is done).
    func next(after now: Date) -> Date? {
        switch self {
        case .once: nil
        case .every(let seconds): now.addingTimeInterval(TimeInterval(seconds))
        case .daily(let hour, let minute, let zone): Self.nextDaily(hour: hour, minute: minute, zone: zone, after: now)
        case .within(_, let inner): inner.next(after: now)
        }
    }

    /// The first `hour`:`minute` in `zone` strictly after `now`: a time skipped by a change to daylight saving runs at
    /// the jump, a time that happens twice runs at its first occurrence only (once a day, unlike Calendar's `.nextTime`).
    /// The zone's rules come from tzdata (`ZoneRules`), not ICU, so the scheduler never loads ICU.
    static func nextDaily(hour: Int, minute: Int, zone: String, after now: Date) -> Date? {
        guard let rules = ZoneRules.named(zone) else { return nil }
        let today = rules.civil(now)
        // Today's slot, else the next day's; two days covers a slot pushed past midnight by a gap.
        for offset in 0...2 {
            let day = CivilTime.civil(today.dayNumber + offset)
            let slot = rules.date(CivilTime(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute))
            if slot > now { return slot }
        }
        return nil
    }
}

/// A schedule that cannot run as meant; its message is for the user or the log.
public struct JobScheduleError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
