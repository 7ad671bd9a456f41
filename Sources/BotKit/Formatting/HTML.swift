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

/// Splits Telegram HTML into tags, entities and visible scalars.
///
/// Scalars, not Characters, as Telegram's parser reads them: a combining mark
/// after `;` or `>` must not hide the end of an entity or a tag.
public enum HTMLTokenizer {
    public enum Token {
        /// `name` as written (tags are ours, lowercase); `isClosing` for `</x>`.
        case tag(raw: Substring, name: Substring, isClosing: Bool)
        case entity(Substring)
        case text(Unicode.Scalar)
    }

    public static func tokens(of html: String) -> [Token] {
        var tokens: [Token] = []
        let scalars = html.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "<", let close = scalars[index...].firstIndex(of: ">") {
                let raw = Substring(scalars[index...close])
                let inner = raw.unicodeScalars.dropFirst().dropLast()
                let isClosing = inner.first == "/"
                let name = (isClosing ? inner.dropFirst() : inner).prefix {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-"
                }
                tokens.append(.tag(raw: raw, name: Substring(name), isClosing: isClosing))
                index = scalars.index(after: close)
            } else if scalar == "&", let semicolon = scalars[index...].prefix(8).firstIndex(of: ";") {
                tokens.append(.entity(Substring(scalars[index...semicolon])))
                index = scalars.index(after: semicolon)
            } else {
                tokens.append(.text(scalar))
                index = scalars.index(after: index)
            }
        }
        return tokens
    }
}
