import BotKit
import Foundation

/// The broadcast preview's buttons, owner-bound: `bc:send:<id>` claims the pending broadcast once and queues one message
/// per recipient; `bc:cancel:<id>` drops it.
struct BroadcastButtons: ButtonHandler {
    static let prefix = "bc"

    /// Callback data of a broadcast button for `owner`.
    static func data(_ owner: Int64, _ action: String) -> String {
        CallbackData(owner: owner, action: "\(prefix):\(action)").encoded
    }

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        let parts = press.action.split(separator: ":").map(String.init)
        guard parts.count == 2, let id = Int64(parts[1]), ["send", "cancel"].contains(parts[0]),
              press.services.config.security.admins.contains(press.user.id) else {
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
        let store = press.services.store
        // Cancel claims it too, so a later Confirm finds nothing to send.
        guard let html = try await store.claimBroadcast(id, adminID: press.user.id, maxAge: BroadcastCommand.expiry, now: Date()) else {
            return ButtonReply(toast: "This broadcast was already sent, cancelled or has expired.", messages: [])
        }
        let edit = { (text: String) in OutgoingMessage.edit(text, chatID: press.chatID, messageID: press.message.messageID) }
        if parts[0] == "cancel" {
            return ButtonReply(toast: "Cancelled", messages: [edit("Broadcast cancelled; nothing was sent.")])
        }
        let recipients = try await store.broadcastRecipients(excluding: press.user.id)
        // Returned as the press's replies: the outbox keeps Telegram's flood limits and drops chats that blocked the bot.
        let messages = recipients.flatMap { $0.level.apply(to: [OutgoingMessage.text(html, to: $0.userID)]) }
        let skipped = recipients.count - messages.count
        return ButtonReply(toast: "Queued", messages: [edit("<b>Broadcast queued</b> for \(messages.count) users; \(skipped) skipped "
                                                            + "(announcements off).\n\n" + html)] + messages)
    }
}
