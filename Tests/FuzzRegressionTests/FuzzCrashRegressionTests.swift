import Foundation
import FuzzTargets
import Testing
import TestSupport

/// Each crash the fuzzers found, by name: the input is also in the replayed corpus, but a named test says what broke.
@Suite struct FuzzCrashRegressionTests {
    static func input(_ target: FuzzTarget, _ name: String) throws -> [UInt8] {
        let url = CorpusReplayTests.corpus.appendingPathComponent(target.rawValue).appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    @Test func aTagEndFollowedByACombiningMarkIsStillATagEnd() throws {
        // The validator scanned Characters: ">" + U+07F2 is one grapheme, so "<pre>" seemed never to end.
        #expect(FuzzTarget.html.check(try Self.input(.html, "crash-combining-mark-after-tag")) == nil)
        guard case let .success(visible) = TelegramHTMLValidator.parse("<pre>\u{07F2}x</pre>") else {
            Issue.record("Telegram reads <pre> + U+07F2 as a tag and a mark")
            return
        }
        #expect(visible == "\u{07F2}x")
    }

    @Test func nulBytesInATableHeaderAreAConfigErrorNotAnAbort() throws {
        // toml++ asserted in parse_key() on "[\n\0…telegram]"; ConfigLoader now refuses the NUL first.
        #expect(FuzzTarget.config.check(try Self.input(.config, "crash-nul-in-table-header")) == nil)
    }
}

extension FuzzCrashRegressionTests {
    @Test func anEntityFollowedByACombiningMarkIsStillAnEntity() throws {
        // ";" + U+0612 is one Character: a Character scan saw "&amp" without its ";" and called it a raw "&".
        #expect(FuzzTarget.html.check(try Self.input(.html, "crash-combining-mark-after-entity")) == nil)
        guard case let .success(visible) = TelegramHTMLValidator.parse("&amp;\u{0612}x") else {
            Issue.record("Telegram reads &amp; + U+0612 as an entity and a mark")
            return
        }
        #expect(visible == "&\u{0612}x")
    }

    @Test func aTableHeaderStartingWithPlusIsAConfigErrorNotAnAbort() throws {
        // toml++ asserted in parse_key() on "[+ache]" (in a release build: undefined behaviour).
        #expect(FuzzTarget.config.check(try Self.input(.config, "crash-plus-starts-table-header")) == nil)
    }
}

extension FuzzCrashRegressionTests {
    @Test func aPartShowingOnlyASpaceWithACombiningMarkIsKept() throws {
        // " " + U+0612 is one whitespace Character: the splitter dropped such a part as blank and lost the mark.
        #expect(FuzzTarget.html.check(try Self.input(.html, "crash-space-carrying-combining-mark")) == nil)
    }
}

extension FuzzCrashRegressionTests {
    @Test func aByteOrderMarkBeforeABadTableHeaderIsAConfigErrorNotAnAbort() throws {
        // toml++ skips the BOM and asserted in parse_key() on "[" + U+FFFD; the header check now skips the BOM too.
        #expect(FuzzTarget.config.check(try Self.input(.config, "crash-bom-then-bad-header")) == nil)
    }
}

extension FuzzCrashRegressionTests {
    @Test func aBraceWhereAnArrayElementStartsIsAConfigErrorNotAnAbort() throws {
        // toml++ asserted in parse_value() on "hosts = [}" (in a release build: undefined behaviour).
        #expect(FuzzTarget.config.check(try Self.input(.config, "crash-brace-as-array-element")) == nil)
    }
}

extension FuzzCrashRegressionTests {
    @Test func aFooterRuleADayFromUTCIsRefused() throws {
        // The footer's POSIX rule allowed 24 h (and daylight one hour past it): an offset of 86,400 s in 2103.
        #expect(FuzzTarget.tzif.check(try Self.input(.tzif, "crash-footer-offset-of-a-day")) == nil)
    }
}

extension FuzzCrashRegressionTests {
    @Test func aBareBracketAfterAWindowsLineEndIsAConfigErrorNotAnAbort() throws {
        // "\r\n[": the header check split the String by "\n", and "\r\n" is one Character, so it saw one line.
        #expect(FuzzTarget.config.check(try Self.input(.config, "crash-crlf-then-bare-bracket")) == nil)
    }
}
