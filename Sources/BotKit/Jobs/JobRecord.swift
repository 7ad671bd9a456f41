import Foundation

/// One job's row: what it is, when it runs next, and how its last runs went.
public struct JobRecord: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Waits for its next run.
        case active
        /// A one-off that ran, or a job whose run said it finished; kept until it is scheduled again or cancelled.
        case done
    }

    public var id: Int64
    public var kind: String
    public var key: String
    /// The kind's Parameters as JSON.
    public var parameters: String
    public var schedule: JobSchedule
    public var nextRunAt: Date
    public var lastRunAt: Date?
    /// Consecutive failed runs; a successful run resets it.
    public var failures: Int
    public var lastError: String?
    public var state: State
    /// Bumped by each schedule of the same kind and key: a run of an older revision commits nothing.
    public var revision: Int64
}
