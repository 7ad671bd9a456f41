/// Splits a long HTML reply into messages Telegram accepts.
///
/// Cuts at the last line break that fits; a tag open at a cut (a `<pre>`
/// table, say) is closed at the end of one part and reopened at the start of
/// the next, so each part is valid HTML on its own. Lengths are counted as
/// Telegram counts them: visible text, in UTF-16 code units.
public enum MessageSplitter {
    /// Telegram's limit for a message text.
    public static let messageLimit = 4096

    /// The parts, each within `limit`; nothing is dropped.
    public static func split(_ html: String, limit: Int = messageLimit) -> [String] {
        let tokens = HTMLTokenizer.tokens(of: html)
        var parts: [String] = []
        var start = 0
        var openAtStart: [(raw: Substring, name: Substring)] = []
        while start < tokens.count {
            var open = openAtStart
            var visible = 0
            var index = start
            var lastBreak: (index: Int, open: [(raw: Substring, name: Substring)])?
            while index < tokens.count {
                let token = tokens[index]
                if visible + token.visibleWidth > limit { break }
                visible += token.visibleWidth
                if case let .tag(raw, name, isClosing) = token {
                    if !isClosing {
                        open.append((raw, name))
                    } else if let match = open.lastIndex(where: { $0.name == name }) {
                        open.remove(at: match)
                    }
                }
                index += 1
                if case .text("\n") = token { lastBreak = (index, open) }
            }
            var end = index
            var openAtEnd = open
            if index < tokens.count, let lastBreak, lastBreak.index > start {
                end = lastBreak.index
                openAtEnd = lastBreak.open
            }
            var part = openAtStart.map { String($0.raw) }.joined()
            for token in tokens[start..<end] { part += token.raw }
            for tag in openAtEnd.reversed() { part += "</\(tag.name)>" }
            if !HTML.plainText(part).allSatisfy(\.isWhitespace) { parts.append(part) }
            start = end
            openAtStart = openAtEnd
        }
        return parts
    }
}

extension HTMLTokenizer.Token {
    /// What the token adds to Telegram's length count.
    var visibleWidth: Int {
        switch self {
        case .tag: return 0
        case .entity: return 1
        case .text(let scalar): return scalar.utf16.count
        }
    }

    var raw: String {
        switch self {
        case .tag(let raw, _, _): return String(raw)
        case .entity(let raw): return String(raw)
        case .text(let scalar): return String(scalar)
        }
    }
}
