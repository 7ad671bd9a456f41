/// One incoming update. Unknown kinds decode with every field nil and are ignored.
public struct Update: Codable, Sendable {
    public var updateID: Int64
    public var message: Message?
    public var editedMessage: Message?
    public var callbackQuery: CallbackQuery?
    public var myChatMember: ChatMemberUpdated?

    public init(updateID: Int64, message: Message? = nil, editedMessage: Message? = nil,
                callbackQuery: CallbackQuery? = nil, myChatMember: ChatMemberUpdated? = nil) {
        self.updateID = updateID
        self.message = message
        self.editedMessage = editedMessage
        self.callbackQuery = callbackQuery
        self.myChatMember = myChatMember
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, editedMessage = "edited_message"
        case callbackQuery = "callback_query", myChatMember = "my_chat_member"
    }

    /// The chat the update belongs to; updates of one chat are handled in order.
    public var chatID: Int64? {
        message?.chat.id ?? editedMessage?.chat.id ?? callbackQuery?.message?.chat.id
            ?? callbackQuery?.from.id ?? myChatMember?.chat.id
    }
}

/// One slot of a getUpdates batch: decoded on its own so that one bad update never blocks the rest.
public struct UpdateSlot: Decodable, Sendable {
    public var updateID: Int64?
    public var update: Update?
    public var decodingError: String?

    private enum Keys: String, CodingKey { case updateID = "update_id" }

    public init(from decoder: any Decoder) throws {
        updateID = try? decoder.container(keyedBy: Keys.self).decode(Int64.self, forKey: .updateID)
        do {
            update = try Update(from: decoder)
        } catch {
            decodingError = String(describing: error)
        }
    }
}
