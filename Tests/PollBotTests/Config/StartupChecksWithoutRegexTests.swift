@testable import PollBot
import Testing

/// The checks every start runs (the token's shape, `alerts.summary_time`) are written by hand, not as Regex literals,
/// so the regex engine stays unmapped at idle; they must still accept and refuse exactly what the patterns did.
@Suite struct StartupChecksWithoutRegexTests {
    static let tokens = [
        "123456:ABC-def_GHI", "1:a", "123456:", ":abc", "", "123456", "12a:abc", "123456:abc def", "123456:abc:def",
        "١٢٣:abc", "123:ab\u{301}c", "1\u{301}:abc", "123:abc\n", " 123:abc", "123:ä", "123:_-_", "0:0",
    ]

    @Test(arguments: tokens)
    func aTokenIsAcceptedExactlyWhenThePatternMatches(_ token: String) {
        #expect(ConfigLoader.looksLikeBotToken(token) == (token.wholeMatch(of: /[0-9]+:[A-Za-z0-9_\-]+/) != nil))
    }

    static let times = ["15:45", "9:05", "09:05", "0:00", "23:59", "24:00", "12:60", "1:5", "123:45", ":45", "12:", "12:45:00",
                        "١٢:٤٥", "12:4\u{301}5", "+1:45", "-1:45", "12 :45", "", "12：45"]

    @Test(arguments: times)
    func aTimeIsReadExactlyAsThePatternReadIt(_ text: String) {
        let expected: (Int, Int)? = text.wholeMatch(of: /([0-9]{1,2}):([0-9]{2})/).flatMap { match in
            guard let hour = Int(match.1), let minute = Int(match.2), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
            return (hour, minute)
        }
        let parsed = AlertSettings.parseTime(text)
        #expect(parsed?.hour == expected?.0 && parsed?.minute == expected?.1)
    }
}
