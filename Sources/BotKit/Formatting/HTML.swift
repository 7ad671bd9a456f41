/// Telegram HTML parse mode: the one escaping helper every dynamic value goes through.
public enum HTML {
    /// Escapes `<`, `>`, `&` and `"` so that any text (a symbol with `_`, a name with `<`) reaches Telegram intact.
    public static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The text a reader sees: tags removed, the four entities decoded.
    public static func plainText(_ html: String) -> String {
        var result = ""
        for token in HTMLTokenizer.tokens(of: html) {
            switch token {
            case .tag: continue
            case .entity(let raw): result += decodeEntity(raw)
            case .text(let character): result.append(character)
            }
        }
        return result
    }

    static func decodeEntity(_ raw: Substring) -> String {
        switch raw {
        case "&lt;": return "<"
        case "&gt;": return ">"
        case "&amp;": return "&"
        case "&quot;": return "\""
        default: return String(raw)
        }
    }
}

extension DefaultStringInterpolation {
    /// `"\(html: userText)"` interpolates an escaped value.
    public mutating func appendInterpolation(html value: some CustomStringConvertible) {
        appendLiteral(HTML.escape(value.description))
    }
}

/// Splits Telegram HTML into tags, entities and visible characters.
enum HTMLTokenizer {
    enum Token {
        /// `name` lowercased; `isClosing` for `</x>`.
        case tag(raw: Substring, name: Substring, isClosing: Bool)
        case entity(Substring)
        case text(Character)
    }

    static func tokens(of html: String) -> [Token] {
        var tokens: [Token] = []
        var index = html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", let close = html[index...].firstIndex(of: ">") {
                let raw = html[index...close]
                let inner = raw.dropFirst().dropLast()
                let isClosing = inner.hasPrefix("/")
                let name = (isClosing ? inner.dropFirst() : inner).prefix { $0.isLetter || $0.isNumber || $0 == "-" }
                tokens.append(.tag(raw: raw, name: name, isClosing: isClosing))
                index = html.index(after: close)
            } else if character == "&", let semicolon = html[index...].prefix(8).firstIndex(of: ";") {
                tokens.append(.entity(html[index...semicolon]))
                index = html.index(after: semicolon)
            } else {
                tokens.append(.text(character))
                index = html.index(after: index)
            }
        }
        return tokens
    }
}
