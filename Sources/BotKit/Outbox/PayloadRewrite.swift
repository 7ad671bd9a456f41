import Foundation

/// Edits of a stored JSON payload that delivery needs: a new chat id, or the plain-text fallback.
enum PayloadRewrite {
    /// The payload member that holds uploads (name to base64), so a photo waits in the outbox like any message.
    static let filesKey = "_files"

    static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// The multipart form of a payload with uploads: every other member as a field (objects as JSON), each upload as a PNG file.
    static func multipart(_ payload: Data) -> [MultipartPart]? {
        // Every message the sender delivers asks; only photos have uploads. Inside a JSON string a quote is always
        // escaped, so a payload without the bytes `"_files"` has no such member and needs no parse.
        guard mayHoldFiles(payload), let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              let files = object[filesKey] as? [String: String]
        else { return nil }
        var parts: [MultipartPart] = []
        for (name, value) in object.sorted(by: { $0.key < $1.key }) where name != filesKey {
            if let text = value as? String {
                parts.append(.field(name, text))
            } else if let number = value as? NSNumber {
                parts.append(.field(name, number.stringValue))
            } else if let data = try? JSONSerialization.data(withJSONObject: value) {
                parts.append(.field(name, String(decoding: data, as: UTF8.self)))
            }
        }
        for (name, base64) in files.sorted(by: { $0.key < $1.key }) {
            guard let data = Data(base64Encoded: base64) else { continue }
            parts.append(.file(name, filename: "\(name).png", contentType: "image/png", data: data))
        }
        return parts
    }

    private static let quotedFilesKey = Array("\"\(filesKey)\"".utf8)

    /// False only when `payload` certainly has no `filesKey` member.
    static func mayHoldFiles(_ payload: Data) -> Bool {
        payload.withUnsafeBytes { $0.firstRange(of: quotedFilesKey) != nil }
    }

    static func setChatID(_ chatID: Int64, in payload: Data) -> Data {
        rewrite(payload) { $0["chat_id"] = chatID }
    }

    /// The same message without parse mode, its tags removed and entities decoded: what the user was meant to read.
    static func plainText(_ payload: Data) -> Data? {
        guard var object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              object["parse_mode"] != nil || (object["media"] as? [[String: Any]])?.contains(where: { $0["parse_mode"] != nil }) == true
        else { return nil }
        object["parse_mode"] = nil
        for key in ["text", "caption"] {
            if let html = object[key] as? String { object[key] = HTML.plainText(html) }
        }
        if var media = object["media"] as? [[String: Any]] {
            for index in media.indices where media[index]["parse_mode"] != nil {
                media[index]["parse_mode"] = nil
                if let html = media[index]["caption"] as? String { media[index]["caption"] = HTML.plainText(html) }
            }
            object["media"] = media
        }
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func rewrite(_ payload: Data, _ change: (inout [String: Any]) -> Void) -> Data {
        guard var object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else { return payload }
        change(&object)
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? payload
    }
}
