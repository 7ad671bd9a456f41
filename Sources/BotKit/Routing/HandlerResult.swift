/// What handling one update produced: the replies, the command log row and the conversation change, stored together.
public struct HandlerResult: Sendable {
    public var replies: [OutgoingMessage]
    public var log: CommandLogEntry?
    /// The user to record as active.
    public var user: User?
    /// A conversation started, advanced or ended by this update.
    public var conversation: ConversationChange?

    public init(replies: [OutgoingMessage], log: CommandLogEntry? = nil, user: User? = nil, conversation: ConversationChange? = nil) {
        self.replies = replies
        self.log = log
        self.user = user
        self.conversation = conversation
    }
}
