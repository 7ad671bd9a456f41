/// An inline keyboard attached to a message.
public struct InlineKeyboard: Codable, Sendable, Equatable {
    /// One button; `callbackData` is at most 64 bytes.
    public struct Button: Codable, Sendable, Equatable {
        public var text: String
        public var callbackData: String

        public init(_ text: String, data: String) {
            self.text = text
            self.callbackData = data
        }

        enum CodingKeys: String, CodingKey { case text, callbackData = "callback_data" }
    }

    public var rows: [[Button]]

    public init(_ rows: [[Button]]) { self.rows = rows }

    enum CodingKeys: String, CodingKey { case rows = "inline_keyboard" }
}

/// The bot as getMe describes it.
public struct BotIdentity: Codable, Sendable {
    public var id: Int64
    public var username: String
    public var firstName: String

    public init(id: Int64, username: String, firstName: String) {
        self.id = id
        self.username = username
        self.firstName = firstName
    }

    enum CodingKeys: String, CodingKey { case id, username, firstName = "first_name" }
}

/// A command in Telegram's "/" menu.
public struct BotCommandInfo: Codable, Sendable, Equatable {
    public var command: String
    public var description: String

    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}
