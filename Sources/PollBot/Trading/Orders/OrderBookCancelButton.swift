import BotKit

/// The Cancel button /orderbook puts under each open order where the user may trade: `oc:<order id>`, owner-bound. A
/// press only opens the same cancel preview as /cancelorder; the order is cancelled after that preview's Confirm.
struct OrderBookCancelButton: ButtonHandler {
    static let prefix = "oc"

    /// The button for `order`, nil when its callback data would not fit Telegram's 64 bytes.
    static func button(for order: Order, owner: Int64) -> InlineKeyboard.Button? {
        // An id a hostile broker dressed with invisible or reversing characters could read as another order's: no button.
        guard OrderID.sane(order.orderID) != nil else { return nil }
        let data = CallbackData(owner: owner, action: "\(prefix):\(order.orderID)").encoded
        guard data.utf8.count <= 64 else { return nil }
        let shown = { (text: String) in String(String.UnicodeScalarView(text.unicodeScalars.filter {
            ![.control, .format].contains($0.properties.generalCategory)
        }).prefix(24)) }
        return .init("\u{2716} Cancel \(shown(order.action)) \(shown(order.symbol)) #\(order.orderID.suffix(8))", data: data)
    }

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        guard let orderID = OrderID.sane(press.action) else { return ButtonReply(toast: "This button is no longer active.", messages: []) }
        do {
            let proposal = try await press.services.orders.proposeCancel(orderID: orderID, userID: press.user.id, chatID: press.chatID)
            return ButtonReply(toast: proposal.keyboard == nil ? nil : "Confirm below to cancel", messages: proposal.messages(to: press.chatID))
        } catch let error as UserError {
            return ButtonReply(toast: "Not cancelled", messages: OutgoingMessage.texts(error.html, to: press.chatID))
        }
    }
}
