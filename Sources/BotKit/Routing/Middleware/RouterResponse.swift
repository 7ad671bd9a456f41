import Foundation

/// What a step or the handler decided; the router turns it into the replies and the log row.
public struct RouterResponse: Sendable {
    /// The main reply (HTML), or the button's toast (plain text); nil answers nothing (a press is still answered).
    public var text: String?
    /// Sentences added to the main reply by outer steps (a secret's removal).
    public var notes: [String] = []
    /// Messages queued before the reply (a deletion).
    public var leading: [OutgoingMessage] = []
    /// Messages after the reply: the command's own output.
    public var replies: [OutgoingMessage] = []
    public var outcome: CommandLogEntry.Outcome
    public var errorID: String?
    /// The arguments the command asked the log to keep (its checked fields); nil leaves it to `CommandLogStep`.
    public var loggedArguments: String?
    /// The sender, to record as an active user; nil for strangers turned away.
    public var user: User?
    /// Built by `CommandLogStep`.
    public var log: CommandLogEntry?
    /// A conversation started, advanced or ended by the handler; stored with the replies.
    public var conversation: ConversationChange?
    /// The command plain text was read as and run; logged as if typed.
    public var translated: TranslatedCommand?

    public init(text: String? = nil, replies: [OutgoingMessage] = [], outcome: CommandLogEntry.Outcome, errorID: String? = nil) {
        self.text = text
        self.replies = replies
        self.outcome = outcome
        self.errorID = errorID
    }

    /// Nothing to say, nothing to log (plain text in a group).
    public static let silent = RouterResponse(outcome: .ok)
}
