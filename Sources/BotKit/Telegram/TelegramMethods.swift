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
