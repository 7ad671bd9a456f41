/// A Telegram user or bot.
public struct User: Codable, Sendable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?

    public init(id: Int64, isBot: Bool = false, firstName: String, lastName: String? = nil, username: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
    }

    enum CodingKeys: String, CodingKey {
        case id, isBot = "is_bot", firstName = "first_name", lastName = "last_name", username
    }
}

/// A private chat, group, supergroup or channel.
public struct Chat: Codable, Sendable, Equatable {
    public var id: Int64
    public var type: String
    public var title: String?
    public var username: String?

    public init(id: Int64, type: String, title: String? = nil, username: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
    }

    /// True for one-to-one chats with a user.
    public var isPrivate: Bool { type == "private" }
}

/// A formatting or command span; offsets and lengths count UTF-16 code units.
public struct MessageEntity: Codable, Sendable, Equatable {
    public var type: String
    public var offset: Int
    public var length: Int

    public init(type: String, offset: Int, length: Int) {
        self.type = type
        self.offset = offset
        self.length = length
    }
}

/// An incoming message.
public struct Message: Codable, Sendable {
    public var messageID: Int64
    public var from: User?
    public var chat: Chat
    /// Unix time the user sent it.
    public var date: Int64
    public var text: String?
    public var entities: [MessageEntity]?
    /// The text under a photo, video or document.
    public var caption: String?
    public var migrateToChatID: Int64?
    /// Marks of what a message carries besides text; the bot reads none of it, only says it reads text.
    public var photo, voice, audio, video, videoNote, sticker, document, animation: Attached?

    public init(messageID: Int64, from: User?, chat: Chat, date: Int64, text: String?, entities: [MessageEntity]? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.entities = entities
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", from, chat, date, text, entities, caption
        case migrateToChatID = "migrate_to_chat_id"
        case photo, voice, audio, video, videoNote = "video_note", sticker, document, animation
    }
}

/// A press of an inline keyboard button.
public struct CallbackQuery: Codable, Sendable {
    public var id: String
    public var from: User
    /// Absent when the message is too old for Telegram to include.
    public var message: Message?
    public var data: String?

    public init(id: String, from: User, message: Message?, data: String?) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }

    enum CodingKeys: String, CodingKey { case id, from, message, data }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        from = try container.decode(User.self, forKey: .from)
        // An "inaccessible message" has date 0 and few fields: keep the press, drop the message.
        message = try? container.decodeIfPresent(Message.self, forKey: .message)
        data = try container.decodeIfPresent(String.self, forKey: .data)
    }
}

/// A change of the bot's membership in a chat (blocked, unblocked, added, removed).
public struct ChatMemberUpdated: Codable, Sendable {
    public struct Member: Codable, Sendable {
        public var status: String
        public var user: User
    }

    public var chat: Chat
    public var from: User
    public var date: Int64
    public var newChatMember: Member

    enum CodingKeys: String, CodingKey { case chat, from, date, newChatMember = "new_chat_member" }
}
