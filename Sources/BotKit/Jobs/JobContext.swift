import Foundation
import Logging

/// What a job's run gets: the app's services, the store, a logger, and when it runs compared with when it should have.
public struct JobContext<Services: Sendable>: Sendable {
    public var services: Services
    public var store: BotStore
    public var logger: Logger
    /// The job's key within its kind.
    public var key: String
    /// The time the run was due (for a job that missed runs, the first one it missed).
    public var scheduledFor: Date
    /// The time of this run, from the scheduler's clock.
    public var now: Date
    /// Consecutive failures before this run.
    public var failures: Int
    /// How late past `scheduledFor` a run must be to count as late.
    public var lateAfter: TimeInterval

    /// How long after its time the job runs (0 when early or on time).
    public var lateness: TimeInterval { max(0, now.timeIntervalSince(scheduledFor)) }
    /// True when the run missed its time by more than `lateAfter` (the bot was down, say).
    public var isLate: Bool { lateness > lateAfter }
}
