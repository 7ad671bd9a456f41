import Foundation
import Testing
@testable import BotKit

@Suite struct HTMLTests {
    @Test func escapesTheCharactersTelegramParses() {
        #expect(HTML.escape("a_b <c> & \"d\"") == "a_b &lt;c&gt; &amp; &quot;d&quot;")
        #expect("x \(html: "<b>")" == "x &lt;b&gt;")
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
