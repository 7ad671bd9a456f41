/// Splits Telegram HTML into tags, entities and visible scalars.
///
/// Scalars, not Characters, as Telegram's parser reads them: a combining mark
/// after `;` or `>` must not hide the end of an entity or a tag.
public enum HTMLTokenizer {
    /// One tag, entity or visible scalar.
    public enum Token {
        /// `name` as written (tags are ours, lowercase); `isClosing` for `</x>`.
        case tag(raw: Substring, name: Substring, isClosing: Bool)
        case entity(Substring)
        case text(Unicode.Scalar)
    }

    /// The tokens of `html` in order; a `<` without a closing `>` and a `&` without a `;` within 8 scalars are text.
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
