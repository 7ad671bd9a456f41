/// Reads a command's arguments word by word, and says clearly what was wrong.
public struct ArgumentScanner: Sendable {
    private var words: [Substring]
    private var position = 0
    /// The usage line of the command being parsed, for error messages.
    public let usage: String

    public init(_ text: String, usage: String) {
        words = text.split(whereSeparator: \.isWhitespace)
        self.usage = usage
    }

    /// True when every word was read.
    public var isAtEnd: Bool { position >= words.count }

    /// The next word, or nil when there is none.
    public mutating func optionalWord() -> String? {
        guard position < words.count else { return nil }
        defer { position += 1 }
        return String(words[position])
    }

    /// The next word; `what` names it in the error when missing.
    public mutating func word(_ what: String) throws -> String {
        guard let word = optionalWord() else { throw failure("\(what) is missing.") }
        return word
    }

    /// The next word as a whole number within `range`.
    public mutating func integer(_ what: String, in range: ClosedRange<Int>) throws -> Int {
        let text = try word(what)
        guard let value = Int(text), range.contains(value) else {
            throw failure("\(what) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(HTML.escape(text)).")
        }
        return value
    }

    /// Everything not read yet, as typed (joined by single spaces).
    public mutating func rest() -> String {
        defer { position = words.count }
        return words[min(position, words.count)...].joined(separator: " ")
    }

    /// Throws when words are left over, so that no part of the input is silently ignored.
    public func finish() throws {
        guard position < words.count else { return }
        let extra = words[position...].joined(separator: " ")
        throw failure("I did not understand \u{201C}\(HTML.escape(extra))\u{201D}.")
    }

    /// A usage error with the command's usage line.
    public func failure(_ problem: String) -> UserError {
        UserError("\(problem)\nUsage: <code>\(HTML.escape(usage))</code>")
    }
}
