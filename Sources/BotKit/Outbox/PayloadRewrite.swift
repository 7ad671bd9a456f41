import Foundation

/// Edits of a stored JSON payload that delivery needs: a new chat id, or the plain-text fallback.
enum PayloadRewrite {
    static func setChatID(_ chatID: Int64, in payload: Data) -> Data {
        rewrite(payload) { $0["chat_id"] = chatID }
    }

    /// The same message without parse mode, its tags removed and entities decoded: what the user was meant to read.
    static func plainText(_ payload: Data) -> Data? {
        guard var object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any],
              object["parse_mode"] != nil
        else { return nil }
        object["parse_mode"] = nil
        for key in ["text", "caption"] {
            if let html = object[key] as? String { object[key] = HTML.plainText(html) }
        }
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func rewrite(_ payload: Data, _ change: (inout [String: Any]) -> Void) -> Data {
        guard var object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any] else { return payload }
        change(&object)
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? payload
    }
}
