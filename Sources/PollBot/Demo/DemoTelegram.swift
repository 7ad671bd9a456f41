import BotKit
import Foundation

/// An in-process Telegram Bot API for `pollbot demo`: the real poller, router, outbox and sender talk to it,
/// and it prints what a Telegram client would show.
///
/// It keeps the Bot API's rules that the bot relies on: updates stay until a
/// later offset confirms them, an edit to identical text is "message is not
/// modified", and photos arrive as multipart uploads (saved to files).
public actor DemoTelegram: HTTPTransport {
    /// The chat and user the person at the terminal plays.
    public static let userID: Int64 = 1001
    private let output: @Sendable (String) -> Void
    private let renderer: TerminalRenderer
    private let photoDirectory: String
    private var pending: [(id: Int64, body: Data)] = []
    private var nextUpdateID: Int64 = 1
    private var nextMessageID: Int64 = 1
    private var messages: [Int64: (text: String, keyboard: InlineKeyboard?)] = [:]
    private var photoCount = 0
    /// The message whose buttons the numbers pick, and those buttons in order.
    public private(set) var activeKeyboard: (messageID: Int64, buttons: [InlineKeyboard.Button])?

    public init(renderer: TerminalRenderer, photoDirectory: String, output: @escaping @Sendable (String) -> Void) {
        self.renderer = renderer
        self.photoDirectory = photoDirectory
        self.output = output
    }

    // MARK: The person's side

    /// Queues what the person typed as a message (a bot_command when it starts with "/"); returns the update id.
    public func type(_ text: String) -> Int64 {
        var message: [String: Any] = [
            "message_id": nextMessageID, "date": Int(Date().timeIntervalSince1970), "text": text,
            "from": ["id": Self.userID, "is_bot": false, "first_name": "Demo"], "chat": ["id": Self.userID, "type": "private"],
        ]
        nextMessageID += 1
        if text.hasPrefix("/") {
            message["entities"] = [["type": "bot_command", "offset": 0, "length": text.prefix { !$0.isWhitespace }.utf16.count]]
        }
        return push(["message": message])
    }

    /// Queues a press of button `number` (1-based) of the active keyboard; nil when there is no such button.
    public func press(_ number: Int) -> Int64? {
        guard let active = activeKeyboard, active.buttons.indices.contains(number - 1) else { return nil }
        return push(["callback_query": [
            "id": UUID().uuidString, "chat_instance": "demo", "data": active.buttons[number - 1].callbackData,
            "from": ["id": Self.userID, "is_bot": false, "first_name": "Demo"],
            // As Telegram does: the pressed message comes with its text, plain (the markup travels as entities).
            "message": ["message_id": active.messageID, "date": Int(Date().timeIntervalSince1970),
                        "chat": ["id": Self.userID, "type": "private"], "text": HTML.plainText(messages[active.messageID]?.text ?? "")],
        ]])
    }

    private func push(_ object: [String: Any]) -> Int64 {
        let id = nextUpdateID
        nextUpdateID += 1
        var object = object
        object["update_id"] = id
        pending.append((id, (try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
        return id
    }

    // MARK: The Bot API side

    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let method = request.url.split(separator: "/").last.map(String.init) ?? ""
        var parameters: [String: Any] = [:]
        var files: [(name: String, data: Data)] = []
        switch request.body {
        case .json(let data): parameters = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        case .multipart(let parts):
            for part in parts {
                if let filename = part.filename { files.append((filename, part.data)) } else {
                    parameters[part.name] = String(data: part.data, encoding: .utf8) ?? ""
                }
            }
        case .none: break
        }
        switch method {
        case "getMe":
            return ok(["id": 1_000_000, "is_bot": true, "first_name": "pollbot demo", "username": "pollbot_demo_bot"])
        case "deleteWebhook", "setMyCommands", "sendChatAction": return ok(true)
        case "getUpdates": return try await updates(parameters)
        case "sendMessage": return ok(show(parameters, edit: nil))
        case "editMessageText":
            let id = (parameters["message_id"] as? NSNumber)?.int64Value ?? 0
            let keyboard = Self.keyboard(parameters)
            if let old = messages[id], old.text == parameters["text"] as? String, old.keyboard == keyboard {
                return HTTPResponse(status: 400, body: Self.json(["ok": false, "error_code": 400,
                    "description": "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"]))
            }
            return ok(show(parameters, edit: id))
        case "answerCallbackQuery":
            if let text = parameters["text"] as? String, !text.isEmpty { output("      (\(text))") }
            return ok(true)
        case "deleteMessage":
            output("      (your message was deleted from the chat: it carried a secret)")
            return ok(true)
        case "sendPhoto", "sendMediaGroup":
            for file in files { savePhoto(file.data, name: file.name) }
            var caption = parameters["caption"] as? String
            if let media = parameters["media"] as? String, let data = media.data(using: .utf8),
               let items = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] {
                caption = items.compactMap { $0["caption"] as? String }.first
            }
            if let caption { output(renderer.render(caption, indent: "      ")) }
            return ok(method == "sendPhoto" ? messageObject(id: allocateMessageID()) as Any : [messageObject(id: allocateMessageID())])
        default:
            return ok(true)
        }
    }

    private func updates(_ parameters: [String: Any]) async throws -> HTTPResponse {
        let offset = (parameters["offset"] as? NSNumber)?.int64Value ?? 0
        let timeout = (parameters["timeout"] as? NSNumber)?.doubleValue ?? 0
        pending.removeAll { $0.id < offset }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while pending.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            pending.removeAll { $0.id < offset }
        }
        let bodies = pending.prefix((parameters["limit"] as? Int) ?? 100).map { String(decoding: $0.body, as: UTF8.self) }
        return HTTPResponse(status: 200, body: Data("{\"ok\":true,\"result\":[\(bodies.joined(separator: ","))]}".utf8))
    }

    private func show(_ parameters: [String: Any], edit: Int64?) -> [String: Any] {
        let text = parameters["text"] as? String ?? ""
        let keyboard = Self.keyboard(parameters)
        let id = edit ?? allocateMessageID()
        messages[id] = (text, keyboard)
        output(edit == nil ? "bot>" : "bot (edits its message)>")
        output(renderer.render(text, indent: "      "))
        if let keyboard {
            activeKeyboard = (id, keyboard.rows.flatMap { $0 })
            output(renderer.choices(keyboard, indent: "      "))
        }
        return messageObject(id: id)
    }

    private func savePhoto(_ data: Data, name: String) {
        photoCount += 1
        try? FileManager.default.createDirectory(atPath: photoDirectory, withIntermediateDirectories: true)
        let path = "\(photoDirectory)/photo-\(photoCount)-\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: data)
        output("bot> [photo saved to \(path)]")
    }

    private func allocateMessageID() -> Int64 {
        defer { nextMessageID += 1 }
        return nextMessageID
    }

    private func messageObject(id: Int64) -> [String: Any] {
        ["message_id": id, "date": Int(Date().timeIntervalSince1970), "chat": ["id": Self.userID, "type": "private"]]
    }

    private static func keyboard(_ parameters: [String: Any]) -> InlineKeyboard? {
        var markup = parameters["reply_markup"]
        if let text = markup as? String { markup = try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
        guard let markup, let data = try? JSONSerialization.data(withJSONObject: markup) else { return nil }
        return try? JSONDecoder().decode(InlineKeyboard.self, from: data)
    }

    private func ok(_ result: Any) -> HTTPResponse {
        HTTPResponse(status: 200, body: Self.json(["ok": true, "result": result]))
    }

    private static func json(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
    }
}
