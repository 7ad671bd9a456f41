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
            guard TimeZone(identifier: zone) != nil else { throw JobScheduleError("unknown time zone \(zone)") }
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

    /// The first `hour`:`minute` in `zone` strictly after `now`; across a daylight-saving gap, the first time after it.
    static func nextDaily(hour: Int, minute: Int, zone: String, after now: Date) -> Date? {
        guard let timeZone = TimeZone(identifier: zone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.nextDate(after: now, matching: DateComponents(hour: hour, minute: minute, second: 0),
                                 matchingPolicy: .nextTime)
    }
}

/// A schedule that cannot run as meant; its message is for the user or the log.
public struct JobScheduleError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
