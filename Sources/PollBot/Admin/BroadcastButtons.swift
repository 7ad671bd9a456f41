import BotKit
import Foundation

/// The broadcast preview's buttons, owner-bound: `bc:send:<id>` claims the pending broadcast once and schedules its
/// `BroadcastJob` (which queues one message per recipient and reports progress); `bc:cancel:<id>` drops it.
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
        let progress = parts[0] == "send" ? BroadcastJob.Parameters(broadcast: id, adminID: press.user.id, chatID: press.chatID,
                                                                      messageID: press.message.messageID) : nil
        // Cancel claims it too, so a later Confirm finds nothing to send.
        guard try await store.claimBroadcast(id, adminID: press.user.id, maxAge: BroadcastCommand.expiry, now: Date(),
                                             progress: progress) != nil else {
            return ButtonReply(toast: "This broadcast was already sent, cancelled or has expired.", messages: [])
        }
        guard progress != nil else {
            return ButtonReply(toast: "Cancelled", messages: [.edit("Broadcast cancelled; nothing was sent.", chatID: press.chatID,
                                                                    messageID: press.message.messageID)])
        }
        // The broadcast's job queues the messages and turns this preview into its progress message.
        return ButtonReply(toast: "Sending", messages: [])
    }
}
