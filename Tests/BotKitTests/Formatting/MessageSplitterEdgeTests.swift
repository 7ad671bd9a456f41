@testable import BotKit
import Testing
import TestSupport

/// The splitter's edges: limits too small to hold a code point, and hard cuts inside a line.
@Suite struct MessageSplitterEdgeTests {
    @Test(arguments: [Int.min, -1, 0, 1])
    func aLimitBelowTwoIsRaisedToTwoAndTheSplitEnds(limit: Int) {
        // Before, an astral code point (2 UTF-16 units) fitted in no part and split never returned.
        let parts = MessageSplitter.split("a😀<b>bc</b>", limit: limit)
        #expect(parts.map(HTML.plainText) == ["a", "😀", "bc"])
        for part in parts {
            #expect(HTML.plainText(part).utf16.count <= MessageSplitter.minimumLimit)
            guard case .success = TelegramHTMLValidator.parse(part) else {
                Issue.record("refused part \(part.debugDescription)")
                continue
            }
        }
    }

    @Test func aHardCutDoesNotSplitAnEmojiSequence() {
        let family = "👨‍👩‍👧"  // 5 scalars, 8 UTF-16 units, one Character
        let parts = MessageSplitter.split("ab" + family + "cd", limit: 8)
        #expect(parts == ["ab", family, "cd"])
    }

    @Test func aHardCutDoesNotSplitALetterFromItsCombiningMark() {
        let parts = MessageSplitter.split("<b>abce\u{0301}fg</b>", limit: 4)
        #expect(parts == ["<b>abc</b>", "<b>e\u{0301}fg</b>"])
    }

    @Test func aClusterLongerThanThePartIsStillCut() {
        // No character boundary within the part: the cut falls inside the cluster rather than never ending.
        let zalgo = "e" + String(repeating: "\u{0301}", count: 9)
        let parts = MessageSplitter.split(zalgo, limit: 4)
        #expect(parts.joined() == zalgo)
        #expect(parts.allSatisfy { $0.utf16.count <= 4 })
    }

    @Test func aLineBreakIsStillPreferredToACharacterBoundary() {
        #expect(MessageSplitter.split("ab\ncdef", limit: 5) == ["ab\n", "cdef"])
    }

    @Test func aSpaceCarryingACombiningMarkIsSentNotDroppedAsBlank() {
        // One whitespace Character, yet it shows the accent (found by MessageSplitterProperties).
        #expect(MessageSplitter.split(" \u{0301}") == [" \u{0301}"])
        #expect(MessageSplitter.split("ab \u{0301}", limit: 2) == ["ab", " \u{0301}"])
    }
}
