import BotKit
import FlyingFox
import Foundation

/// A fake Telegram Bot API on 127.0.0.1, for tests and the benchmark.
///
/// It behaves as shared/docs/telegram-bot-api.md describes Telegram: offsets
/// confirm updates, long polls wait, a second poller gets 409, flood limits
/// answer 429 with retry_after, HTML is validated (400 "can't parse
/// entities"), texts over 4096 characters and callback data over 64 bytes are
/// refused. Failures, dropped connections and stalls can be injected.
public final class FakeTelegram: Sendable {
    public let token: String
    public let port: UInt16
    let state: FakeTelegramState
    private let server: HTTPServer
    private let serverTask: Task<Void, any Error>

    /// The value for `[telegram] api_url`.
    public var apiURL: String { "http://127.0.0.1:\(port)" }
    /// The bot's username in getMe.
    public static let botUsername = "PollTestBot"

    /// Starts the fake on an ephemeral loopback port.
    public static func start(token: String = "123456:TEST-fake_token-abcdef", floodLimits: Bool = true) async throws -> FakeTelegram {
        let state = FakeTelegramState(floodLimits: floodLimits)
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 120, logger: .disabled)
        await server.appendRoute("*") { request in
            await FakeTelegramRouter(state: state, token: token).respond(to: request)
        }
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case let .ip4(_, port)? = await server.listeningAddress else { throw CancellationError() }
        ListenerTuning.disableNagle(onListenerAt: port)
        return FakeTelegram(token: token, port: port, state: state, server: server, task: task)
    }

    private init(token: String, port: UInt16, state: FakeTelegramState, server: HTTPServer, task: Task<Void, any Error>) {
        self.token = token
        self.port = port
        self.state = state
        self.server = server
        self.serverTask = task
    }

    /// Stops listening and closes connections.
    public func stop() async {
        await state.endPolls()
        await server.stop(timeout: 1)
        serverTask.cancel()
    }

    // MARK: - Scripting

    /// Queues a text message from `user` in a private chat (or `chatID`); commands get their bot_command entity.
    @discardableResult
    public func sendText(_ text: String, from user: FakeUser, chatID: Int64? = nil, date: Date = Date(), edited: Bool = false) async -> Int64 {
        var message: [String: Any] = [
            // The update's own id (the push replaces every placeholder): unique, as Telegram's message ids are in a chat.
            "message_id": "$update_id$", "from": user.json, "date": Int(date.timeIntervalSince1970),
            "chat": ["id": chatID ?? user.id, "type": (chatID ?? user.id) < 0 ? "group" : "private"], "text": text,
        ]
        if text.hasPrefix("/") {
            let command = text.prefix { !$0.isWhitespace }
            message["entities"] = [["type": "bot_command", "offset": 0, "length": command.utf16.count]]
        }
        return await push([edited ? "edited_message" : "message": message])
    }

    /// Queues a button press on a message the bot sent.
    @discardableResult
    public func pressButton(_ data: String, by user: FakeUser, chatID: Int64? = nil, messageID: Int64 = 1) async -> Int64 {
        await push(["callback_query": [
            "id": UUID().uuidString, "from": user.json, "data": data, "chat_instance": "1",
            "message": ["message_id": messageID, "date": Int(Date().timeIntervalSince1970), "chat": ["id": chatID ?? user.id, "type": "private"]],
        ]])
    }

    private func push(_ object: [String: Any]) async -> Int64 {
        var object = object
        object["update_id"] = "$update_id$"
        let template = String(decoding: FakeJSON.data(object) ?? Data(), as: UTF8.self)
        return await state.enqueueNew(template, placeholder: "\"$update_id$\"")
    }

    /// Queues raw JSON; `$ID` is replaced by the update id (for malformed updates).
    @discardableResult
    public func pushRaw(_ json: String) async -> Int64 {
        await state.enqueueNew(json, placeholder: "$ID")
    }

    /// The next `times` calls of `method` fail this way.
    public func inject(_ kind: InjectedFailure.Kind, for method: String, times: Int = 1) async {
        await state.inject(InjectedFailure(kind), for: method, times: times)
    }

    /// How many scripted failures of `method` are still queued.
    public func pendingFailures(for method: String) async -> Int { await state.pendingFailures(for: method) }

    /// The user blocked the bot: sends to this chat answer 403.
    public func block(chatID: Int64) async { await state.block(chatID) }
    /// The group became a supergroup: sends answer 400 with migrate_to_chat_id.
    public func migrate(chatID: Int64, to newID: Int64) async { await state.migrate(chatID, to: newID) }
    /// Sets a webhook, so getUpdates answers 409.
    public func setWebhook(_ url: String?) async { await state.setWebhook(url) }

    /// Every call the bot made, in arrival order.
    public func sent(_ method: String? = nil) async -> [SentCall] {
        let all = await state.allSent()
        return method.map { name in all.filter { $0.method == name } } ?? all
    }

    /// Waits until `predicate` holds for the calls made, or `timeout` passes; returns the calls.
    @discardableResult
    public func waitUntil(timeout: Duration = .seconds(10), _ predicate: @escaping @Sendable ([SentCall]) -> Bool) async -> [SentCall] {
        let state = self.state
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await state.releaseSentWaiters()
        }
        await state.waitForSent(predicate)
        timer.cancel()
        return await state.allSent()
    }

    /// Waits for `count` calls of `method`.
    @discardableResult
    public func waitForCalls(_ method: String, count: Int, timeout: Duration = .seconds(10)) async -> [SentCall] {
        let calls = await waitUntil(timeout: timeout) { calls in calls.lazy.filter { $0.method == method }.count >= count }
        return calls.filter { $0.method == method }
    }

    /// The lowest update id not yet confirmed by an offset.
    public var confirmedBelow: Int64 { get async { await state.confirmedBelow } }
    /// Updates not yet confirmed.
    public var pendingUpdates: Int { get async { await state.pendingUpdates } }
    /// When each update was pushed, for latency measurements.
    public var pushTimes: [Int64: ContinuousClock.Instant] { get async { await state.pushedAt } }
    /// How many getUpdates calls arrived.
    public var getUpdatesCalls: Int { get async { await state.getUpdatesCalls } }
    /// How many sends were refused with 429.
    public var floodRejections: Int { get async { await state.rejectedForFlood } }
    /// The id of the newest message the bot sent.
    public var lastMessageID: Int64 { get async { await state.lastMessageID } }
    /// The commands of the last setMyCommands.
    public var registeredCommands: [String] { get async { await state.commands } }
}
