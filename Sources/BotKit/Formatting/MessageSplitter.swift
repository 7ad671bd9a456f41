/// Splits a long HTML reply into messages Telegram accepts.
///
/// Cuts at the last line break that fits; a tag open at a cut (a `<pre>`
/// table, say) is closed at the end of one part and reopened at the start of
/// the next, so each part is valid HTML on its own. A line too long for one
/// part is cut where a character (grapheme cluster) ends, if one ends within
/// the part. Lengths are counted as Telegram counts them: visible text, in
/// UTF-16 code units.
public enum MessageSplitter {
    /// Telegram's limit for a message text.
    public static let messageLimit = 4096

    /// The smallest limit honoured: one code point takes up to 2 UTF-16 units, so a smaller part could not hold it.
    public static let minimumLimit = 2

    /// The parts, each within `max(limit, minimumLimit)`; only whitespace-only parts are dropped.
    public static func split(_ html: String, limit: Int = messageLimit) -> [String] {
        // Below 2 units an astral code point fits in no part and the loop would never advance.
        let limit = max(limit, minimumLimit)
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
            } else if index < tokens.count {
                // Only text lies between the new cut and `index`, so the open tags stay the same.
                end = characterBoundary(before: index, after: start, in: tokens)
            }
            var part = openAtStart.map { String($0.raw) }.joined()
            for token in tokens[start..<end] { part += token.raw }
            for tag in openAtEnd.reversed() { part += "</\(tag.name)>" }
            // By scalars: a space carrying a combining mark is one whitespace Character, yet it shows the mark.
            if !HTML.plainText(part).unicodeScalars.allSatisfy(\.properties.isWhitespace) { parts.append(part) }
            start = end
            openAtStart = openAtEnd
        }
        return parts
    }

    /// The last cut at or before `cut` (and after `start`) that does not split a grapheme cluster of the text run
    /// around it; `cut` itself when it splits none or when no such cut exists within the part.
    static func characterBoundary(before cut: Int, after start: Int, in tokens: [HTMLTokenizer.Token]) -> Int {
        func scalar(_ index: Int) -> Unicode.Scalar? {
            if case let .text(scalar) = tokens[index] { return scalar }
            return nil
        }
        guard cut > start, scalar(cut - 1) != nil, scalar(cut) != nil else { return cut }
        var runStart = cut - 1
        while runStart > start, scalar(runStart - 1) != nil { runStart -= 1 }
        // A cluster rarely spans more than a few scalars; 64 ahead decides whether `cut` ends one.
        var runEnd = cut
        while runEnd < min(tokens.count, cut + 64), scalar(runEnd) != nil { runEnd += 1 }
        var text = String.UnicodeScalarView()
        for index in runStart..<runEnd { text.append(scalar(index)!) }
        // The run starts after a tag, an entity or the part's start: a boundary in any case.
        var best = runStart
        var offset = runStart
        for character in String(text) {
            offset += character.unicodeScalars.count
            if offset == cut { return cut }
            if offset > cut { break }
            best = offset
        }
        return best > start ? best : cut
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
