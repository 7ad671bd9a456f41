import Foundation

/// Checks text the way Telegram's HTML parse mode does, and measures it as Telegram does.
public enum TelegramHTMLValidator {
    static let allowedTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
        "blockquote", "tg-emoji",
    ]

    /// The visible text, or the error description Telegram would give.
    ///
    /// Scans Unicode scalars, not `Character`s, because Telegram reads code points: a `>` followed by a combining
    /// mark is one grapheme cluster, and a grapheme scan would never see the tag end.
    public static func parse(_ html: String) -> Result<String, ValidationError> {
        let scalars = html.unicodeScalars
        var visible = String.UnicodeScalarView()
        var stack: [String] = []
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            switch scalar {
            case "<":
                guard let close = scalars[index...].firstIndex(of: ">") else {
                    return .failure(.init("Bad Request: can't parse entities: Unclosed start tag at byte offset \(offset(of: index, in: html))"))
                }
                let inner = scalars[scalars.index(after: index)..<close]
                let closing = inner.first == "/"
                let nameScalars = (closing ? inner.dropFirst() : inner).prefix { isTagNameScalar($0) }
                let name = String(String.UnicodeScalarView(nameScalars)).lowercased()
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
                index = scalars.index(after: close)
            case "&":
                let tail = scalars[index...]
                let known = ["&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\""]
                guard let (entity, value) = known.first(where: { tail.starts(with: $0.key.unicodeScalars) }) else {
                    return .failure(.init("Bad Request: can't parse entities: Character entity expected at byte offset \(offset(of: index, in: html))"))
                }
                visible.append(contentsOf: value.unicodeScalars)
                index = scalars.index(index, offsetBy: entity.unicodeScalars.count)
            default:
                // A bare ">" is accepted by Telegram in practice; the bot escapes it anyway.
                visible.append(scalar)
                index = scalars.index(after: index)
            }
        }
        if let open = stack.last {
            return .failure(.init("Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"\(open)\""))
        }
        return .success(String(visible))
    }

    private static func isTagNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "-" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
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
