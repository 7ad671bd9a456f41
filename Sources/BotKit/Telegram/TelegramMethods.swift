import Foundation

/// The Bot API calls the engine makes itself (the rest go through the outbox).
extension TelegramClient {
    /// getMe: the bot's own identity.
    public func getMe() async throws -> BotIdentity {
        try await call("getMe", [String: String]())
    }

    /// deleteWebhook without dropping pending updates: commands sent while the bot was down still run.
    public func deleteWebhook() async throws {
        _ = try await call("deleteWebhook", ["drop_pending_updates": false], as: Ignored.self)
    }

    /// Shows "uploading photo…" and the like at once; best effort, so failures are ignored.
    public func sendChatAction(_ chatID: Int64, _ action: String) async {
        struct Parameters: Encodable {
            var chat_id: Int64
            var action: String
        }
        _ = try? await call("sendChatAction", Parameters(chat_id: chatID, action: action), as: Ignored.self, timeout: .seconds(5))
    }

    /// Deletes a message at once, outside the outbox; true when Telegram did.
    public func deleteNow(_ chatID: Int64, _ messageID: Int64) async -> Bool {
        struct Parameters: Encodable {
            var chat_id: Int64
            var message_id: Int64
        }
        return (try? await call("deleteMessage", Parameters(chat_id: chatID, message_id: messageID), as: Ignored.self,
                                timeout: .seconds(10))) != nil
    }

    /// setMyCommands: fills Telegram's "/" menu.
    public func setMyCommands(_ commands: [BotCommandInfo]) async throws {
        struct Parameters: Encodable { var commands: [BotCommandInfo] }
        _ = try await call("setMyCommands", Parameters(commands: commands), as: Ignored.self)
    }

    /// getUpdates; calling it with `offset` confirms every update below it.
    public func getUpdates(offset: Int64, limit: Int = 100, timeout: Int, allowedUpdates: [String]) async throws -> [UpdateSlot] {
        struct Parameters: Encodable {
            var offset: Int64
            var limit: Int
            var timeout: Int
            var allowed_updates: [String]
        }
        return try await call(
            "getUpdates", Parameters(offset: offset, limit: limit, timeout: timeout, allowed_updates: allowedUpdates),
            as: [UpdateSlot].self, timeout: .seconds(timeout + 10))
    }
}
