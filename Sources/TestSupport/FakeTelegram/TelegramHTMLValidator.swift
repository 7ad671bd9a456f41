import Foundation

/// Checks text the way Telegram's HTML parse mode does, and measures it as Telegram does.
public enum TelegramHTMLValidator {
    static let allowedTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
        "blockquote", "tg-emoji",
    ]

    /// The visible text, or the error description Telegram would give.
    public static func parse(_ html: String) -> Result<String, ValidationError> {
        var visible = ""
        var stack: [String] = []
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            switch character {
            case "<":
                guard let close = html[index...].firstIndex(of: ">") else {
                    return .failure(.init("Bad Request: can't parse entities: Unclosed start tag at byte offset \(offset(of: index, in: html))"))
                }
                let inner = html[html.index(after: index)..<close]
                let closing = inner.hasPrefix("/")
                let name = String((closing ? inner.dropFirst() : inner).prefix { $0.isLetter || $0.isNumber || $0 == "-" }).lowercased()
                guard allowedTags.contains(name) else {
                    return .failure(.init("Bad Request: can't parse entities: Unsupported start tag \"\(name)\" at byte offset \(offset(of: index, in: html))"))
                }
                if closing {
                    guard stack.last == name else {
                        return .failure(.init("Bad Request: can't parse entities: Unmatched end tag at byte offset \(offset(of: index, in: html)), expected \"</\(stack.last ?? "")>\", found \"</\(name)>\""))
                    }
                    stack.removeLast()
                } else {
                    stack.append(name)
                }
                index = html.index(after: close)
            case "&":
                let tail = html[index...].prefix(7)
                let known = ["&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\""]
                guard let (entity, value) = known.first(where: { tail.hasPrefix($0.key) }) else {
                    return .failure(.init("Bad Request: can't parse entities: Character entity expected at byte offset \(offset(of: index, in: html))"))
                }
                visible += value
                index = html.index(index, offsetBy: entity.count)
            case ">":
                // Telegram accepts a bare ">" in practice; the bot escapes it anyway.
                visible.append(character)
                index = html.index(after: index)
            default:
                visible.append(character)
                index = html.index(after: index)
            }
        }
        if let open = stack.last {
            return .failure(.init("Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"\(open)\""))
        }
        return .success(visible)
    }

    private static func offset(of index: String.Index, in text: String) -> Int {
        text.utf8.distance(from: text.startIndex, to: index)
    }

    /// A parse failure with Telegram's wording.
    public struct ValidationError: Error {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
