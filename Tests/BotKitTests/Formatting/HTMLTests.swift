import Foundation
import Testing
@testable import BotKit

@Suite struct HTMLTests {
    @Test func escapesTheCharactersTelegramParses() {
        #expect(HTML.escape("a_b <c> & \"d\"") == "a_b &lt;c&gt; &amp; &quot;d&quot;")
        #expect("x \(html: "<b>")" == "x &lt;b&gt;")
    }

    @Test func aCombiningMarkDoesNotHideACharacterFromEscaping() {
        // "<" + U+0301 is one Character but two scalars; Telegram's parser sees the "<".
        for special in ["<", ">", "&", "\""] {
            let escaped = HTML.escape(special + "\u{0301}b")
            #expect(escaped.unicodeScalars.first == "&")
            #expect(HTML.plainText(escaped) == special + "\u{0301}b")
        }
        #expect(HTML.escape("a<\u{0301}b>\u{20DD}") == "a&lt;\u{0301}b&gt;\u{20DD}")
    }

    @Test func anEntityFollowedByACombiningMarkStaysOneEntityWhenSplit() {
        let line = HTML.escape("R&\u{0301}D <\u{0301}x>") + "\n"
        let html = String(repeating: line, count: 700)
        let parts = MessageSplitter.split(html)
        #expect(parts.count > 1)
        for part in parts {
            #expect(HTML.plainText(part).utf16.count <= 4096)
            #expect(!part.unicodeScalars.contains("<"))  // no tag was invented from an escaped "<"
        }
        #expect(parts.map(HTML.plainText).joined() == HTML.plainText(html))
    }

    @Test func plainTextDropsTagsAndDecodesEntities() {
        #expect(HTML.plainText("<b>P&amp;L</b> &lt;3") == "P&L <3")
    }

    @Test func shortTextIsOnePart() {
        #expect(MessageSplitter.split("<b>hi</b>") == ["<b>hi</b>"])
    }

    @Test func longTextSplitsOnLinesWithinTheLimitAndLosesNothing() {
        let lines = (1...900).map { "line \($0) with &amp; some text" }
        let html = lines.joined(separator: "\n")
        let parts = MessageSplitter.split(html)
        #expect(parts.count > 1)
        for part in parts {
            #expect(HTML.plainText(part).utf16.count <= 4096)
            #expect(part.hasSuffix("text\n") || part.hasSuffix("text"))
        }
        #expect(parts.map(HTML.plainText).joined() == HTML.plainText(html))
    }

    @Test func anOpenPreIsClosedAndReopenedAtACut() {
        let table = (1...400).map { String(format: "%-20@ %10d", "SYMBOL_\($0)" as NSString, $0) }.joined(separator: "\n")
        let parts = MessageSplitter.split("<b>Orders</b>\n<pre>\(table)</pre>\ndone")
        #expect(parts.count >= 2)
        #expect(parts[0].hasSuffix("</pre>"))
        #expect(parts[1].hasPrefix("<pre>"))
        for part in parts {
            #expect(part.components(separatedBy: "<pre>").count == part.components(separatedBy: "</pre>").count)
        }
    }

    @Test func aSingleHugeLineIsCutAnyway() {
        let parts = MessageSplitter.split(String(repeating: "x", count: 9000))
        #expect(parts.map(\.count) == [4096, 4096, 808])
    }
}
