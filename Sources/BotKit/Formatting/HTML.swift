/// Telegram HTML parse mode: the one escaping helper every dynamic value goes through.
public enum HTML {
    /// Escapes `<`, `>`, `&` and `"` so that any text (a symbol with `_`, a name with `<`) reaches Telegram intact.
    ///
    /// Works on Unicode scalars, not Characters: `<` followed by a combining
    /// mark is one Character but still a `<` to Telegram's parser.
    public static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            default: result.unicodeScalars.append(scalar)
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
            case .text(let scalar): result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The character one of `escape`'s four entities stands for; any other entity is returned as written.
    public static func decodeEntity(_ raw: Substring) -> String {
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
