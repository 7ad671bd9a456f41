import Foundation

/// A kind of background job: its name, its parameters, and the one function that runs it.
///
/// A run returns what it has to say and change (`JobResult`); the scheduler commits that in one transaction with the
/// job's next time, so a crash before the commit runs the job again and never sends anything twice.
public protocol JobKind<Services>: Sendable {
    associatedtype Services: Sendable
    /// What the job works on and the state it keeps between runs; stored as JSON in the job's row.
    associatedtype Parameters: Codable & Sendable

    /// The kind's stored name: rows of a name no registered kind has are left alone (a job of a newer build).
    static var name: String { get }

    /// Runs the job once; throwing counts a failure and retries with backoff.
    static func run(_ parameters: Parameters, context: JobContext<Services>) async throws -> JobResult<Parameters>
}
