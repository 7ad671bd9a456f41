import Foundation

/// How the job scheduler runs: how many jobs at once, how long one may take, how failures back off.
public struct JobSettings: Sendable {
    /// Jobs running at the same time.
    public var concurrency = 4
    /// A run still going after this is cancelled, abandoned and counted as a failure.
    public var timeout: Duration = .seconds(60)
    /// A run more than this past its time is told it is late.
    public var lateAfter: TimeInterval = 60
    /// The first retry after a failure; each further failure doubles it, up to `retryCap`.
    public var retryBase: TimeInterval = 10
    public var retryCap: TimeInterval = 1800
    /// After this many consecutive failures (and each multiple of it) the failure is logged as an error.
    public var loudAfter = 5
    /// When a one-off job's window is closed at its time, it looks again after this.
    public var windowRetry: TimeInterval = 60
    /// At shutdown, how long running jobs may finish before they are cancelled.
    public var drain: Duration = .seconds(5)
    /// The longest pause between passes, even with nothing due (a clock jump is noticed by then).
    public var idleCheck: Duration = .seconds(60)

    public init() {}

    /// The wait before retrying a job that has now failed `failures` times in a row.
    public func retryDelay(failures: Int) -> TimeInterval {
        min(retryCap, retryBase * pow(2, Double(min(max(failures - 1, 0), 30))))
    }
}
