/// Finds API keys in what users send and takes them out of the chat, saying honestly whether that worked.
struct SecretGuard: Sendable {
    /// Deletes a message at once and reports whether Telegram did; nil queues the delete in the outbox instead.
    let deleteNow: (@Sendable (_ chatID: Int64, _ messageID: Int64) async -> Bool)?

    /// True when the text or caption holds a run of 64 hex digits, the shape of an OpenAlgo API key.
    static func exposesAPIKey(_ message: Message) -> Bool {
        [message.text, message.caption].contains { $0.map(containsAPIKey) ?? false }
    }

    static func containsAPIKey(_ text: String) -> Bool {
        var run = 0
        for byte in text.utf8 {
            let isHex = (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
            run = isHex ? run + 1 : 0
            if run >= 64 { return true }
        }
        return false
    }

    /// What taking a message out of the chat produced: the outbox rows to queue first, and the sentence for the reply.
    struct Removal: Sendable {
        var replies: [OutgoingMessage]
        var note: String
    }

    /// Removes `message`. In a private chat the bot may always delete (messages under 48 h), so the outbox does it;
    /// in a group it may lack the right, so the delete is tried now and the note says what happened.
    func remove(_ message: Message) async -> Removal {
        let chatID = message.chat.id
        if message.chat.isPrivate {
            return Removal(replies: [.delete(messageID: message.messageID, chatID: chatID)],
                           note: "I deleted your message from this chat: it carried a secret.")
        }
        guard let deleteNow else {
            return Removal(replies: [.delete(messageID: message.messageID, chatID: chatID)],
                           note: "Your message carried a secret. I asked Telegram to delete it, but in a group I may lack the right to: "
                               + "if it is still visible, <b>revoke the key in OpenAlgo now</b> and create a new one.")
        }
        if await deleteNow(chatID, message.messageID) {
            return Removal(replies: [], note: "I deleted your message: it carried a secret. Others in this group may have read it "
                + "before it went; if so, revoke the key in OpenAlgo.")
        }
        return Removal(replies: [], note: "Your message carried a secret and <b>I could not delete it</b> (I lack the right to delete "
            + "messages in this group): everyone here can read it. <b>Revoke the key in OpenAlgo now</b> and create a new one.")
    }
}
