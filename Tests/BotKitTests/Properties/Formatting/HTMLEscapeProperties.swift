@testable import BotKit
import PropertyBased
import Testing

/// `HTML.escape` for any text: nothing Telegram's parser would read as markup survives, and decoding gives the text back.
@Suite struct HTMLEscapeProperties {
    /// Scalars weighted towards the ones that matter: the four escaped characters, entity-looking text, NUL and
    /// controls, combining marks, and the scalars either side of the surrogate range (a Swift string cannot hold a lone
    /// surrogate, so these are as close to one as a String gets) plus noncharacters.
    static let scalar = Gen<UInt32>.value(in: 0...999).map { pick -> Unicode.Scalar in
        let special: [Unicode.Scalar] = ["<", ">", "&", "\"", ";", "#", "l", "t", "a", "m", "p", "\u{0}", "\u{1}", "\u{7F}",
                                         "\u{301}", "\u{20DD}", "\u{D7FF}", "\u{E000}", "\u{FFFE}", "\u{FFFF}", "\u{10FFFF}",
                                         "\u{200D}", "\u{1F600}", "\n", "\r", "\t"]
        if pick < 700 { return special[Int(pick) % special.count] }
        // The rest spread over every plane; a value inside the surrogate range stands for its nearest neighbour.
        let value = (pick &* 2_654_435_761) % 0x110000
        return Unicode.Scalar(value) ?? (value < 0xDC00 ? "\u{D7FF}" : "\u{E000}")
    }
    static let text = scalar.array(of: 0...64).map { scalars in
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    @Test func noRawMarkupSurvivesAndDecodingGivesTheTextBack() async {
        await propertyCheck(count: 2000, input: Self.text) { text in
            let escaped = HTML.escape(text)
            #expect(!escaped.unicodeScalars.contains("<"))
            #expect(!escaped.unicodeScalars.contains(">"))
            #expect(Self.everyAmpersandStartsAnEntity(escaped))
            #expect(HTML.plainText(escaped) == text)
            #expect(HTML.plainText(escaped).unicodeScalars.elementsEqual(text.unicodeScalars))
        }
    }

    @Test func escapingTwiceEscapesTheFirstResultNotTheOriginal() async {
        // An already escaped value is still text: "&lt;" arrives as "&lt;", never as "<".
        await propertyCheck(count: 500, input: Self.text) { text in
            #expect(HTML.plainText(HTML.escape(HTML.escape(text))) == HTML.escape(text))
        }
    }

    /// True when each `&` begins `&lt;`, `&gt;`, `&amp;` or `&quot;`, compared scalar by scalar as Telegram reads them.
    static func everyAmpersandStartsAnEntity(_ html: String) -> Bool {
        let scalars = Array(html.unicodeScalars)
        let entities = ["&lt;", "&gt;", "&amp;", "&quot;"].map { Array($0.unicodeScalars) }
        for (index, scalar) in scalars.enumerated() where scalar == "&" {
            guard entities.contains(where: { scalars[index...].starts(with: $0) }) else { return false }
        }
        return true
    }
}
