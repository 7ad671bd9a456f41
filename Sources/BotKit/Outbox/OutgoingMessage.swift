import Foundation

/// One Bot API call a handler wants made, stored in the outbox until Telegram accepts it.
public struct OutgoingMessage: Sendable, Equatable {
    public var chatID: Int64
    public var method: String
    /// The JSON object of the call's parameters, `chat_id` included.
    public var payload: Data
    /// The delivery group whose counts record how this message ended (`BotStore.deliveryCounts`); nil for most.
    public var deliveryGroup: String?

    public init(chatID: Int64, method: String, payload: Data) {
        self.chatID = chatID
        self.method = method
        self.payload = payload
    }

    public init(chatID: Int64, method: String, parameters: some Encodable) {
        self.init(chatID: chatID, method: method, payload: (try? JSONEncoder.telegram.encode(parameters)) ?? Data("{}".utf8))
    }

    /// sendMessage in HTML parse mode; `html` must already be escaped and within 4096 characters.
    public static func text(_ html: String, to chatID: Int64, keyboard: InlineKeyboard? = nil) -> OutgoingMessage {
        OutgoingMessage(chatID: chatID, method: "sendMessage",
                        payload: TextPayload.encode(chatID: chatID, messageID: nil, text: html, keyboard: keyboard))
    }

    /// editMessageText in place (menus, refresh buttons).
    public static func edit(_ html: String, chatID: Int64, messageID: Int64, keyboard: InlineKeyboard? = nil) -> OutgoingMessage {
        OutgoingMessage(chatID: chatID, method: "editMessageText",
                        payload: TextPayload.encode(chatID: chatID, messageID: messageID, text: html, keyboard: keyboard))
    }

    /// answerCallbackQuery: stops the button's spinner, with an optional toast.
    public static func answerCallback(_ queryID: String, chatID: Int64, text: String? = nil) -> OutgoingMessage {
        struct Parameters: Encodable {
            var callback_query_id: String
            var text: String?
        }
        return OutgoingMessage(chatID: chatID, method: "answerCallbackQuery",
                               parameters: Parameters(callback_query_id: queryID, text: text))
    }

    /// deleteMessage (a message that carried a secret).
    public static func delete(messageID: Int64, chatID: Int64) -> OutgoingMessage {
        struct Parameters: Encodable {
            var chat_id: Int64
            var message_id: Int64
        }
        return OutgoingMessage(chatID: chatID, method: "deleteMessage", parameters: Parameters(chat_id: chatID, message_id: messageID))
    }

    /// sendPhoto with a PNG uploaded by multipart; the caption is HTML, at most 1024 characters.
    public static func photo(_ png: Data, caption: String, to chatID: Int64) -> OutgoingMessage {
        let parameters: [String: Any] = ["chat_id": chatID, "caption": caption, "parse_mode": "HTML",
                                         PayloadRewrite.filesKey: ["photo": png.base64EncodedString()]]
        return OutgoingMessage(chatID: chatID, method: "sendPhoto", payload: PayloadRewrite.encode(parameters))
    }

    /// sendMediaGroup: several PNGs as one album (`attach://`), the caption on the first.
    public static func album(_ pngs: [Data], caption: String, to chatID: Int64) -> OutgoingMessage {
        var media: [[String: Any]] = []
        var files: [String: String] = [:]
        for (index, png) in pngs.enumerated() {
            var item: [String: Any] = ["type": "photo", "media": "attach://chart\(index)"]
            if index == 0 {
                item["caption"] = caption
                item["parse_mode"] = "HTML"
            }
            media.append(item)
            files["chart\(index)"] = png.base64EncodedString()
        }
        return OutgoingMessage(chatID: chatID, method: "sendMediaGroup",
                               payload: PayloadRewrite.encode(["chat_id": chatID, "media": media, PayloadRewrite.filesKey: files]))
    }

    /// This message, counted in delivery group `group` when it is sent, blocked or fails.
    public func inDeliveryGroup(_ group: String) -> OutgoingMessage {
        var message = self
        message.deliveryGroup = group
        return message
    }

    /// True for calls that Telegram's per-chat flood limits count.
    public var countsAsChatMessage: Bool {
        (method.hasPrefix("send") && method != "sendChatAction") || method.hasPrefix("editMessage")
    }
}

/// A stored outbox row.
public struct OutboxItem: Sendable {
    public var id: Int64
    public var message: OutgoingMessage
    public var attempts: Int
}
