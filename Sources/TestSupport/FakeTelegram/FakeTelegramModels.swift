import Foundation

/// One call the bot made to the fake, as received.
public struct SentCall: Sendable {
    public let method: String
    /// Parameters as JSON (multipart fields become strings).
    public let body: Data
    /// Files of a multipart upload, by field name.
    public var files: [String: Data]
    public var receivedAt: ContinuousClock.Instant

    /// The parameters as a dictionary.
    public var parameters: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }

    /// The chat_id parameter, read once: waits filter thousands of calls by it on every new call.
    public let chatID: Int64?

    /// A call as received, its chat read from `body`.
    public init(method: String, body: Data, files: [String: Data] = [:], receivedAt: ContinuousClock.Instant) {
        let parameters = (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
        self.init(method: method, body: body, files: files, receivedAt: receivedAt, chatID: Self.chatID(in: parameters))
    }

    /// A call whose chat the router has already read from its parameters.
    init(method: String, body: Data, files: [String: Data], receivedAt: ContinuousClock.Instant, chatID: Int64?) {
        self.method = method
        self.body = body
        self.files = files
        self.receivedAt = receivedAt
        self.chatID = chatID
    }

    static func chatID(in parameters: [String: Any]) -> Int64? {
        let value = parameters["chat_id"]
        if let number = value as? NSNumber { return number.int64Value }
        if let text = value as? String { return Int64(text) }
        return nil
    }

    /// The text parameter as sent (HTML source in HTML mode).
    public var text: String? { parameters["text"] as? String }

    /// The inline buttons sent with the message, row by row: (text, callback_data).
    public var buttons: [(text: String, data: String)] {
        guard let markup = parameters["reply_markup"] as? [String: Any], let rows = markup["inline_keyboard"] as? [[[String: Any]]] else {
            return []
        }
        return rows.joined().map { ($0["text"] as? String ?? "", $0["callback_data"] as? String ?? "") }
    }

    /// The callback data of the button labelled `text`.
    public func button(_ text: String) -> String? { buttons.first { $0.text == text }?.data }

    /// What the user sees: the text after Telegram's HTML parsing.
    public var visibleText: String? {
        guard let text else { return nil }
        guard (parameters["parse_mode"] as? String)?.uppercased() == "HTML" else { return text }
        return try? TelegramHTMLValidator.parse(text).get()
    }
}

/// A failure to inject: the next calls of a method answer with it.
public struct InjectedFailure: Sendable {
    /// What the fake does instead of answering.
    public enum Kind: Sendable {
        /// `{ok:false}` with this status and description.
        case error(status: Int, description: String, retryAfter: Int?)
        /// The connection closes mid-response.
        case dropConnection
        /// No answer for this long.
        case stall(Duration)
    }

    public var kind: Kind
    public init(_ kind: Kind) { self.kind = kind }
}

/// A user of the fake, for building updates.
public struct FakeUser: Sendable {
    public var id: Int64
    public var firstName: String
    public var username: String?

    public init(id: Int64, firstName: String = "Trader", username: String? = nil) {
        self.id = id
        self.firstName = firstName
        self.username = username
    }

    var json: [String: Any] {
        var object: [String: Any] = ["id": id, "is_bot": false, "first_name": firstName]
        if let username { object["username"] = username }
        return object
    }
}
