import BotKit
import FlyingFox
import Foundation

/// Answers one HTTP request to the fake the way the Bot API would.
struct FakeTelegramRouter: Sendable {
    let state: FakeTelegramState
    let token: String

    func respond(to request: FlyingFox.HTTPRequest) async -> FlyingFox.HTTPResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].hasPrefix("bot") else {
            return encode(.init(status: 404, object: ["ok": false, "error_code": 404, "description": "Not Found"]))
        }
        guard parts[0].dropFirst(3) == token else {
            return encode(FakeTelegramState.error(401, "Unauthorized"))
        }
        let method = String(parts[1])
        let body = (try? await request.bodyData) ?? Data()
        let (parameters, files) = Self.parameters(of: request, body: body)
        let chatID = Self.int(parameters["chat_id"])
        let generation = method == "sendMessage" ? await state.checkRetryAfter(chatID: chatID) : nil
        let scripted = await state.nextFailure(for: method)
        let random = scripted == nil ? await state.randomFault(for: method) : nil
        if let failure = scripted ?? random {
            switch failure.kind {
            case let .error(status, description, retryAfter):
                var object: [String: Any] = ["ok": false, "error_code": status, "description": description]
                if let retryAfter {
                    object["parameters"] = ["retry_after": retryAfter]
                    await state.promisedRetryAfter(retryAfter, chatID: chatID, generation: generation)
                }
                return encode(.init(status: status, object: object))
            case .dropConnection:
                return DroppedResponse.make()
            case .stall(let duration):
                try? await Task.sleep(for: duration)
            }
        }
        // A JSON call's own body is its parameters already; only forms and queries need writing out.
        let isPlainJSON = request.query.isEmpty && (request.headers[.contentType] ?? "").hasPrefix("application/json")
            && body.first == UInt8(ascii: "{")
        let call = SentCall(method: method, body: isPlainJSON ? body : FakeJSON.data(parameters) ?? Data(),
                            files: files, receivedAt: .now, chatID: SentCall.chatID(in: parameters))
        return encode(await answer(method, parameters, call))
    }

    private func answer(_ method: String, _ parameters: [String: Any], _ call: SentCall) async -> FakeTelegramState.Reply {
        switch method {
        case "getMe":
            return ok(["id": 123456, "is_bot": true, "first_name": "Poll Bot", "username": FakeTelegram.botUsername])
        case "deleteWebhook":
            await state.setWebhook(nil)
            return ok(true)
        case "setWebhook":
            await state.setWebhook(parameters["url"] as? String ?? "")
            return ok(true)
        case "setMyCommands":
            let list = parameters["commands"] as? [[String: Any]] ?? []
            for command in list {
                let name = command["command"] as? String ?? ""
                let description = command["description"] as? String ?? ""
                guard name.wholeMatch(of: /[a-z0-9_]{1,32}/) != nil, list.count <= 100 else {
                    return FakeTelegramState.error(400, "Bad Request: BOT_COMMAND_INVALID")
                }
                guard (1...256).contains(description.count) else {
                    return FakeTelegramState.error(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
                }
            }
            await state.setCommands(list.compactMap { $0["command"] as? String })
            await state.record(call)
            return ok(true)
        case "getUpdates":
            return await state.getUpdates(offset: Self.int(parameters["offset"]) ?? 0,
                                          limit: Int(Self.int(parameters["limit"]) ?? 100),
                                          timeout: Int(Self.int(parameters["timeout"]) ?? 0))
        case "sendMessage", "editMessageText":
            return await sendText(method, parameters, call)
        case "answerCallbackQuery":
            guard parameters["callback_query_id"] is String else {
                return FakeTelegramState.error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
            }
            if let text = parameters["text"] as? String, text.count > 200 {
                return FakeTelegramState.error(400, "Bad Request: MESSAGE_TOO_LONG")
            }
            await state.record(call)
            return ok(true)
        case "sendPhoto":
            guard let chatID = Self.int(parameters["chat_id"]) else { return FakeTelegramState.error(400, "Bad Request: chat not found") }
            if let problem = Self.photoProblem(call.files["photo"]) { return FakeTelegramState.error(400, problem) }
            if let caption = parameters["caption"] as? String, caption.count > 1024 {
                return FakeTelegramState.error(400, "Bad Request: message caption is too long")
            }
            await state.record(call)
            return await state.newMessage(chatID: chatID, text: nil)
        case "sendMediaGroup":
            guard let chatID = Self.int(parameters["chat_id"]) else { return FakeTelegramState.error(400, "Bad Request: chat not found") }
            let media = (parameters["media"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [[String: Any]] }
                ?? parameters["media"] as? [[String: Any]]
            guard let media, (2...10).contains(media.count) else {
                return FakeTelegramState.error(400, "Bad Request: wrong number of media: 2 to 10 items expected")
            }
            for item in media {
                guard item["type"] as? String == "photo", let reference = item["media"] as? String, reference.hasPrefix("attach://") else {
                    return FakeTelegramState.error(400, "Bad Request: wrong media in the group")
                }
                if let problem = Self.photoProblem(call.files[String(reference.dropFirst("attach://".count))]) {
                    return FakeTelegramState.error(400, problem)
                }
                if let caption = item["caption"] as? String, caption.count > 1024 {
                    return FakeTelegramState.error(400, "Bad Request: message caption is too long")
                }
            }
            await state.record(call)
            var messages: [Any] = []
            for _ in media {
                let reply = await state.newMessage(chatID: chatID, text: nil)
                if let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any], let result = object["result"] {
                    messages.append(result)
                }
            }
            return ok(messages)
        case "deleteMessage", "sendChatAction":
            guard Self.int(parameters["chat_id"]) != nil else { return FakeTelegramState.error(400, "Bad Request: chat not found") }
            await state.record(call)
            return ok(true)
        default:
            return FakeTelegramState.error(404, "Not Found: method not found")
        }
    }

    private func sendText(_ method: String, _ parameters: [String: Any], _ call: SentCall) async -> FakeTelegramState.Reply {
        guard let chatID = Self.int(parameters["chat_id"]) else { return FakeTelegramState.error(400, "Bad Request: chat not found") }
        guard let text = parameters["text"] as? String else { return FakeTelegramState.error(400, "Bad Request: message text is empty") }
        var visible = text
        if (parameters["parse_mode"] as? String)?.uppercased() == "HTML" {
            switch TelegramHTMLValidator.parse(text) {
            case .success(let parsed): visible = parsed
            case .failure(let error): return FakeTelegramState.error(400, error.description)
            }
        }
        let trimmed = visible.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return FakeTelegramState.error(400, "Bad Request: message text is empty") }
        if trimmed.utf16.count > 4096 { return FakeTelegramState.error(400, "Bad Request: message is too long") }
        if let problem = Self.keyboardProblem(parameters["reply_markup"]) { return FakeTelegramState.error(400, problem) }
        if let refusal = await state.admitToChat(chatID) {
            if refusal.status == 429 {
                await state.countFloodRejection()
                let retryAfter = (try? JSONSerialization.jsonObject(with: refusal.body) as? [String: Any])
                    .flatMap { $0["parameters"] as? [String: Any] }?["retry_after"] as? Int
                if let retryAfter { await state.promisedRetryAfter(retryAfter, chatID: chatID) }
            }
            return refusal
        }
        let reply = method == "editMessageText"
            ? await state.edit(chatID: chatID, messageID: Self.int(parameters["message_id"]) ?? 0, text: visible)
            : await state.newMessage(chatID: chatID, text: visible)
        // Recorded once the message exists: a waiter the record wakes finds its id (messageID(in:containing:)).
        await state.record(call)
        return reply
    }

    /// What Telegram says about an upload that is not a photo it takes: PNG magic, 10 MB, width + height at most 10000, ratio at most 20.
    static func photoProblem(_ photo: Data?) -> String? {
        guard let photo, photo.count > 24, photo.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            return "Bad Request: IMAGE_PROCESS_FAILED"
        }
        let bytes = [UInt8](photo.prefix(24))
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        if photo.count > 10 * 1024 * 1024 || width + height > 10_000 || width == 0 || height == 0
            || max(width, height) > 20 * min(width, height) {
            return "Bad Request: PHOTO_INVALID_DIMENSIONS"
        }
        return nil
    }

    static func keyboardProblem(_ markup: Any?) -> String? {
        guard let markup = markup as? [String: Any], let rows = markup["inline_keyboard"] as? [[[String: Any]]] else { return nil }
        if rows.joined().count > 100 || rows.contains(where: { $0.count > 8 }) { return "Bad Request: too many buttons" }
        for button in rows.joined() {
            guard let text = button["text"] as? String, !text.isEmpty else { return "Bad Request: text buttons are unallowed in the inline keyboard" }
            if let data = button["callback_data"] as? String, !(1...64).contains(data.utf8.count) {
                return "Bad Request: BUTTON_DATA_INVALID"
            }
        }
        return nil
    }

    private func ok(_ result: Any) -> FakeTelegramState.Reply { .ok(result) }

    private func encode(_ reply: FakeTelegramState.Reply) -> FlyingFox.HTTPResponse {
        FlyingFox.HTTPResponse(statusCode: HTTPStatusCode(reply.status, phrase: "Status"),
                               headers: [.contentType: "application/json"], body: reply.body)
    }

    static func int(_ value: Any?) -> Int64? {
        if let number = value as? NSNumber { return number.int64Value }
        if let text = value as? String { return Int64(text) }
        return nil
    }

    /// Parameters from JSON, a form or a multipart body (files kept apart), as Telegram accepts all three.
    static func parameters(of request: FlyingFox.HTTPRequest, body: Data) -> ([String: Any], [String: Data]) {
        let type = request.headers[.contentType] ?? ""
        var parameters: [String: Any] = [:]
        for item in request.query { parameters[item.name] = item.value }
        if type.hasPrefix("application/json") {
            if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
                parameters.merge(object) { _, new in new }
            }
            return (parameters, [:])
        }
        if type.hasPrefix("multipart/form-data"), let boundary = type.components(separatedBy: "boundary=").last {
            var files: [String: Data] = [:]
            for part in Multipart.parse(body, boundary: boundary.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) {
                if part.filename != nil {
                    files[part.name] = part.data
                } else {
                    let text = String(decoding: part.data, as: UTF8.self)
                    parameters[part.name] = (try? JSONSerialization.jsonObject(with: part.data, options: [.fragmentsAllowed]))
                        .flatMap { $0 is [Any] || $0 is [String: Any] ? $0 : nil } ?? text
                }
            }
            return (parameters, files)
        }
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if kv.count == 2 { parameters[kv[0]] = kv[1] }
        }
        return (parameters, [:])
    }
}
