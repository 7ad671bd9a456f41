import BotKit

/// The preview's buttons: `order:ok:<id>` confirms, `order:no:<id>` cancels. The router has checked the owner; the
/// store checks it again with the time limit and the state, in the same transaction that commits the intent.
struct OrderButtons: ButtonHandler {
    static let prefix = "order"

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        let parts = press.action.split(separator: ":").map(String.init)
        guard parts.count == 2, parts[1].count <= 20 else { return ButtonReply(toast: "This button is no longer active.", messages: []) }
        let desk = press.services.orders
        let chatID = press.chatID, messageID = press.message.messageID
        switch parts[0] {
        case "ok":
            let early = press.bot.sendEarly
            let result = try await desk.confirm(parts[1], userID: press.user.id, receivedAt: press.receivedAt, logger: press.bot.logger,
                                                  pressID: press.query.id) { html in
                await early(OutgoingMessage.texts(html, to: chatID))
            }
            guard let html = result.html else { return ButtonReply(toast: result.toast, messages: []) }
            // The buttons leave the preview once it is decided, so it cannot be pressed again by mistake.
            return ButtonReply(toast: result.toast, messages: [
                .edit((press.message.text.map(HTML.escape) ?? "Order") + "\n\n<b>Confirmed</b>; the outcome follows.", chatID: chatID,
                      messageID: messageID, keyboard: nil),
            ] + OutgoingMessage.texts(html, to: chatID))
        case "no":
            let toast = try await desk.cancel(parts[1], userID: press.user.id)
            return ButtonReply(toast: toast, messages: [.edit((press.message.text.map(HTML.escape) ?? "Order") + "\n\nCancelled; nothing was sent.",
                                                              chatID: chatID, messageID: messageID, keyboard: nil)])
        default:
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
    }
}
