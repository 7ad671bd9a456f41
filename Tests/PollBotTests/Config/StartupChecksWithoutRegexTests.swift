@testable import BotKit
@testable import PollBot
import Testing
import TestSupport

/// The checks every start runs (the token's shape, `alerts.summary_time`, conversation names) are written by hand, not
/// as Regex literals, so the regex engine stays unmapped at idle; they must still accept and refuse exactly what the
/// patterns did, which are kept here as the reference.
@Suite struct StartupChecksWithoutRegexTests {
    static func tokenPattern(_ token: String) -> Bool { token.wholeMatch(of: /[0-9]+:[A-Za-z0-9_\-]+/) != nil }

    static func timePattern(_ text: String) -> (Int, Int)? {
        text.wholeMatch(of: /([0-9]{1,2}):([0-9]{2})/).flatMap { match in
            guard let hour = Int(match.1), let minute = Int(match.2), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
            return (hour, minute)
        }
    }

    static func namePattern(_ name: String) -> Bool { name.wholeMatch(of: /[a-z0-9_]{1,16}/) != nil }

    static let long = String(repeating: "7", count: 5_000)

    static let tokens = [
        "123456:ABC-def_GHI", "1:a", "123456:", ":abc", "", "123456", "12a:abc", "123456:abc def", "123456:abc:def",
        "١٢٣:abc", "123:ab\u{301}c", "1\u{301}:abc", "123:abc\n", " 123:abc", "123:ä", "123:_-_", "0:0",
        "+123:abc", "-123:abc", "123:abc\r\n", "123\r\n:abc", "123:\r\n", ":\u{301}", "123:\u{301}abc", "123：abc", "１２３:abc",
        long + ":" + long, long + ":" + long + " ",
    ]

    @Test(arguments: tokens)
    func aTokenIsAcceptedExactlyWhenThePatternMatches(_ token: String) {
        #expect(ConfigLoader.looksLikeBotToken(token) == Self.tokenPattern(token))
    }

    static let times = ["15:45", "9:05", "09:05", "0:00", "23:59", "24:00", "12:60", "1:5", "123:45", ":45", "12:", "12:45:00",
                        "١٢:٤٥", "12:4\u{301}5", "+1:45", "-1:45", "12 :45", "", "12：45", "12:45\r\n", "\r\n12:45", "12\r\n:45",
                        "12:\u{301}45", "１２:４５", ":", "::", long + ":00", "00:" + long]

    @Test(arguments: times)
    func aTimeIsReadExactlyAsThePatternReadIt(_ text: String) {
        let expected = Self.timePattern(text)
        let parsed = AlertSettings.parseTime(text)
        #expect(parsed?.hour == expected?.0 && parsed?.minute == expected?.1)
    }

    static let names = ["trade", "a", "buy_2", "abcdefghijklmnop", "abcdefghijklmnopq", "", "Trade", "tr ade", "tråde",
                        "tra\u{301}de", "trade\n", "trade\r\n", "-trade", "+1", "١٢", "ｔｒａｄｅ", "a\u{301}", String(repeating: "a", count: 5_000)]

    @Test(arguments: names)
    func aConversationNameIsAcceptedExactlyWhenThePatternMatches(_ name: String) {
        #expect(CommandRegistry<Void>.isConversationName(name) == Self.namePattern(name))
    }

    /// Thousands of strings from pieces that sit on the checks' edges (digits of other scripts, combining marks, a
    /// fullwidth colon, CR LF, signs, empty parts), each compared with the pattern.
    @Test func randomStringsFromTheEdgePiecesAgreeWithThePatterns() {
        let pieces = ["0", "1", "2", "5", "9", "a", "Z", "_", "-", "١", "１", "\u{301}", "\r\n", "\n", "+", " ", "é", "e\u{301}", "12", "45"]
        let separators = [":", ":", ":", "：", ":\u{301}", ""]
        var generator = SplitMix64(seed: 0x5EED_16B)
        func part() -> String {
            (0..<Int(generator.next() % 4)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
        var disagreements: [String] = []
        var accepted = (tokens: 0, times: 0, names: 0)
        for _ in 0..<20_000 {
            let text = part() + separators[Int(generator.next() % UInt64(separators.count))] + part()
            let time = AlertSettings.parseTime(text), expectedTime = Self.timePattern(text)
            accepted.tokens += Self.tokenPattern(text) ? 1 : 0
            accepted.times += expectedTime == nil ? 0 : 1
            accepted.names += Self.namePattern(text) ? 1 : 0
            if ConfigLoader.looksLikeBotToken(text) != Self.tokenPattern(text)
                || time?.hour != expectedTime?.0 || time?.minute != expectedTime?.1
                || CommandRegistry<Void>.isConversationName(text) != Self.namePattern(text) {
                disagreements.append(text)
            }
        }
        // Both sides of each check are exercised, not only refusals.
        #expect(accepted.tokens > 100 && accepted.times > 10 && accepted.names > 100, "\(accepted)")
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5).map { Array($0.unicodeScalars) })")
    }
}
