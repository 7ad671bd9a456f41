/// What an app counts as a secret in users' messages, and how it names it in replies.
public struct SecretPolicy: Sendable {
    /// True when `text` holds something shaped like a secret (an API key, say).
    public var looksSecret: @Sendable (String) -> Bool
    /// The reply to a message that holds one without a command that takes it (HTML).
    public var warning: String
    /// What the user should revoke and where, e.g. "the key in the service that issued it".
    public var revokeWhat: String

    public init(looksSecret: @escaping @Sendable (String) -> Bool, warning: String, revokeWhat: String) {
        self.looksSecret = looksSecret
        self.warning = warning
        self.revokeWhat = revokeWhat
    }

    /// No message is treated as a secret unless its command says it carries one.
    public static let none = SecretPolicy(looksSecret: { _ in false }, warning: "", revokeWhat: "the secret")

    /// True when the message's text or caption looks secret.
    public func exposes(_ message: Message) -> Bool {
        [message.text, message.caption].contains { $0.map(looksSecret) ?? false }
    }
}

/// Takes messages that carried a secret out of the chat, saying honestly whether that worked.
public struct SecretGuard: Sendable {
    public let policy: SecretPolicy
    /// Deletes a message at once and reports whether Telegram did; nil queues the delete in the outbox instead.
    let deleteNow: (@Sendable (_ chatID: Int64, _ messageID: Int64) async -> Bool)?

    public init(policy: SecretPolicy, deleteNow: (@Sendable (_ chatID: Int64, _ messageID: Int64) async -> Bool)?) {
        self.policy = policy
        self.deleteNow = deleteNow
    }

    /// What taking a message out of the chat produced: the outbox rows to queue first, and the sentence for the reply.
    public struct Removal: Sendable {
        public var replies: [OutgoingMessage]
        public var note: String
    }

    /// True when `message` must leave the chat: its command carries a secret, or the policy sees one in it.
    public func mustRemove(_ message: Message, command: CommandTraits?) -> Bool {
        command?.carriesSecret == true || policy.exposes(message)
    }

    /// Removes `message`. In a private chat the bot may always delete (messages under 48 h), so the outbox does it;
    /// in a group it may lack the right, so the delete is tried now and the note says what happened.
    func remove(_ message: Message) async -> Removal {
        guard !message.chat.isPrivate, let deleteNow else { return queuedRemoval(of: message) }
        if await deleteNow(message.chat.id, message.messageID) {
            return Removal(replies: [], note: "I deleted your message: it carried a secret. Others in this group may have read it "
                + "before it went; if so, revoke \(policy.revokeWhat).")
        }
        return Removal(replies: [], note: "Your message carried a secret and <b>I could not delete it</b> (I lack the right to delete "
            + "messages in this group): everyone here can read it. <b>Revoke \(policy.revokeWhat) now</b> and create a new one.")
    }

    /// The delete left to the outbox, with a note that claims no more than that: in a group it may fail.
    func queuedRemoval(of message: Message) -> Removal {
        let delete = OutgoingMessage.delete(messageID: message.messageID, chatID: message.chat.id)
        if message.chat.isPrivate {
            return Removal(replies: [delete], note: "I deleted your message from this chat: it carried a secret.")
        }
        return Removal(replies: [delete], note: "Your message carried a secret. I asked Telegram to delete it, but in a group I may "
            + "lack the right to: if it is still visible, <b>revoke \(policy.revokeWhat) now</b> and create a new one.")
    }
}
