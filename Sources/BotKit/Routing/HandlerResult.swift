/// What handling one update produced: the replies, and the command log row, stored together.
public struct HandlerResult: Sendable {
    public var replies: [OutgoingMessage]
    public var log: CommandLogEntry?
    /// The user to record as active.
    public var user: User?

    public init(replies: [OutgoingMessage], log: CommandLogEntry? = nil, user: User? = nil) {
        self.replies = replies
        self.log = log
        self.user = user
    }
}
