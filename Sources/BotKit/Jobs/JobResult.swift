import Foundation

/// What a job's run produced, committed in one transaction with the job's next time.
public struct JobResult<Parameters: Sendable>: Sendable {
    /// Queued in the outbox with the commit.
    public var messages: [OutgoingMessage]
    /// Run inside the commit's transaction (e.g. "mark this alert fired"); it must not open a transaction of its own.
    /// Throwing rolls the whole run back: no message is queued and the job stays due.
    public var storeWork: (@Sendable (isolated BotStore) throws -> Void)?
    /// New parameters kept for the next run; nil keeps the old ones.
    public var parameters: Parameters?
    /// True ends a recurring job (its row stays, marked done) as a one-off ends after its run.
    public var finished: Bool

    public init(messages: [OutgoingMessage] = [], parameters: Parameters? = nil, finished: Bool = false,
                storeWork: (@Sendable (isolated BotStore) throws -> Void)? = nil) {
        self.messages = messages
        self.parameters = parameters
        self.finished = finished
        self.storeWork = storeWork
    }
}
