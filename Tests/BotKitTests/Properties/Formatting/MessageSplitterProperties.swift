@testable import BotKit
import PropertyBased
import TestSupport
import Testing

/// `MessageSplitter.split` on generated Telegram HTML: every part fits, is valid on its own, and together the parts
/// show exactly the original text, except whitespace the splitter drops at a cut (a part that would show nothing but
/// whitespace is not sent).
@Suite struct MessageSplitterProperties {
    /// What the generator writes for one instruction: a piece of text, an opening tag, or the close of the innermost
    /// open tag. Combining marks and joined emoji are in: a cut must keep a grapheme whole, and a mark right after a
    /// tag's `>` is one Character with it, which the validator in TestSupport reads by scalars as Telegram does.
    static let pieces = [
        "a", "word ", "&amp;", "&lt;", "&gt;", "&quot;", "\u{1F600}", "\n", "\n\n", " ", "\u{E9}",
        "\u{1F468}\u{1F469}\u{1F467}", "\u{4E2D}\u{6587}", "P&amp;L ", "R&amp;D\n",
        "e\u{301}", "\u{301}", "\u{1F468}\u{200D}\u{1F4BB}", "\u{1F1EE}\u{1F1F3}", "\u{915}\u{94D}\u{937}",
    ]
    static let tags = ["<b>", "<i>", "<code>", "<pre>", "<a href=\"https://example.com/?a=1&amp;b=2\">", "<u>", "<s>"]

    /// Builds balanced HTML from a list of instructions; a large instruction value is a long word without a break.
    static func html(from instructions: [Int]) -> String {
        var html = ""
        var open: [String] = []
        for instruction in instructions {
            switch instruction % 10 {
            case 0 where !open.isEmpty:
                html += "</\(open.removeLast())>"
            case 1 where open.count < 4:
                let tag = tags[(instruction / 10) % tags.count]
                html += tag
                open.append(String(tag.dropFirst().prefix { $0.isLetter }))
            case 2:
                html += String(repeating: "x", count: (instruction / 10) % 700)
            default:
                html += pieces[(instruction / 10) % pieces.count]
            }
        }
        for tag in open.reversed() { html += "</\(tag)>" }
        return html
    }

    static let instructions = Gen.int(in: 0...100_000).array(of: 0...250)
    static let limit = Gen<Int>.frequency(
        (1, Gen.always(MessageSplitter.messageLimit).eraseToAnySequence()),
        (3, Gen.int(in: 2...64).eraseToAnySequence()),
        (2, Gen.int(in: 65...4096).eraseToAnySequence()))

    @Test func everyPartFitsIsValidAndTogetherTheyShowTheWholeText() async {
        await propertyCheck(count: 150, input: Self.instructions, Self.limit) { instructions, limit in
            let html = Self.html(from: instructions)
            #expect(Self.isBalanced(html), "the generator itself must write valid HTML")
            let parts = MessageSplitter.split(html, limit: limit)
            for part in parts {
                // Telegram counts the visible text in UTF-16 code units.
                #expect(HTML.plainText(part).utf16.count <= limit)
                #expect(Self.isBalanced(part), "unbalanced part: \(part.debugDescription)")
                if case .failure(let error) = TelegramHTMLValidator.parse(part) {
                    Issue.record("Telegram would refuse \(part.debugDescription): \(error.description)")
                }
                let showsSomething = HTML.plainText(part).unicodeScalars.contains { !$0.properties.isWhitespace }
                #expect(showsSomething, "a part that shows nothing was sent")
            }
            let shown = parts.map(HTML.plainText).joined()
            #expect(Self.dropsOnlyWhitespace(from: HTML.plainText(html), to: shown))
        }
    }

    @Test func textThatFitsIsOnePartUnchanged() async {
        await propertyCheck(count: 300, input: Self.instructions) { instructions in
            let html = Self.html(from: instructions)
            let visible = HTML.plainText(html)
            guard visible.utf16.count <= MessageSplitter.messageLimit, !visible.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { return }
            #expect(MessageSplitter.split(html) == [html])
        }
    }

    /// True when every closing tag closes the innermost open one and nothing is left open.
    static func isBalanced(_ html: String) -> Bool {
        var open: [Substring] = []
        for case let .tag(_, name, isClosing) in HTMLTokenizer.tokens(of: html) {
            if !isClosing {
                open.append(name)
            } else if open.popLast() != name {
                return false
            }
        }
        return open.isEmpty
    }

    /// True when `shown` is `original` with some whitespace scalars removed and nothing else changed.
    static func dropsOnlyWhitespace(from original: String, to shown: String) -> Bool {
        var kept = shown.unicodeScalars.makeIterator()
        var next = kept.next()
        for scalar in original.unicodeScalars {
            if scalar == next {
                next = kept.next()
            } else if !scalar.properties.isWhitespace {
                return false
            }
        }
        return next == nil
    }
}
