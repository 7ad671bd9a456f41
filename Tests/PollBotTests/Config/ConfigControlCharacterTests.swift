import BotKit
@testable import PollBot
import Testing

/// Control characters are refused with their line before TOMLKit reads the text: toml++ asserts (and aborts the
/// process) on NUL in a table header instead of reporting an error.
extension ConfigLoaderTests {
    @Test func nulInATableHeaderIsNamedWithItsLineInsteadOfAborting() {
        // The fuzzer's input (Tests/Fuzz/Corpus/config/crash-nul-in-table-header) aborted in toml++'s parse_key().
        #expect(message("[\n\0\0\0\0\0\0\0telegram]\ntoken = 5![stor = [\"x\"]\n") ==
            "bot.toml line 2: a control character (U+0000) at column 1; TOML allows only tab, line feed and carriage return there, remove it")
    }

    @Test func everyControlCharacterButTabLineFeedAndReturnIsRefused() {
        for value in Array(0x00...0x1F) + [0x7F] where ![0x09, 0x0A, 0x0D].contains(value) {
            let character = Character(Unicode.Scalar(UInt8(value)))
            let text = "[telegram]\ntoken = \"1:a\"\n# note \(character)\n"
            #expect(message(text).hasPrefix("bot.toml line 3: a control character (U+00"), "U+\(value)")
        }
    }

    @Test func tabsAndWindowsLineEndsStillLoad() throws {
        let config = try ConfigLoader.parse("[telegram]\r\n\ttoken = \"123456:ABC-def_1\"\r\n")
        #expect(config.telegram.token == "123456:ABC-def_1")
    }
}

extension ConfigLoaderTests {
    @Test func aTableHeaderWithoutANameIsNamedWithItsLine() {
        for header in ["[+ache]", "[ [\u{00A0}x]]", "[\ntelegram]", "[[ !x]]", "[\r\ntelegram]", "[[\r\n"] {
            #expect(message("# c\n\(header)\n").hasPrefix("bot.toml line 2: a table header must start with a name"), "\(header)")
        }
        #expect(!message("[\"quoted\"]\n[ telegram ]\n").contains("table header"))
    }
}

extension ConfigLoaderTests {
    @Test func aByteOrderMarkDoesNotHideABadFirstHeaderAndAGoodOneStillLoads() throws {
        #expect(message("\u{FEFF}[\u{FFFD}\n").hasPrefix("bot.toml line 1: a table header must start with a name"))
        let config = try ConfigLoader.parse("\u{FEFF}[telegram]\ntoken = \"123456:ABC-def_1\"\n")
        #expect(config.telegram.token == "123456:ABC-def_1")
    }
}

extension ConfigLoaderTests {
    @Test func aBraceStartingAnArrayElementIsNamedWithItsLine() {
        for (text, line) in [("x = [}\n", 1), ("# c\nx = [1, }\n", 2), ("x = [ # note\n}\n", 2), ("x = [[\"a\"], [}]]\n", 1),
                             ("[telegram]\nhosts = [\n  \"a\",\n  }\n", 4)] {
            #expect(message(text).hasPrefix("bot.toml line \(line): an array element cannot start with }"), "\(text)")
        }
    }

    @Test func bracesInStringsCommentsHeadersAndInlineTablesAreNotArrayElements() {
        for text in ["x = [\"}\", '}']\n", "x = [\"\"\"\n}\"\"\", 1]\n", "x = [ # }\n1]\n", "[[a]]\nb = {c = [1]}\n",
                     "x = [\"a\\\"}\"]\n", "x = {a = 1}\n"] {
            #expect(!message(text).contains("array element"), "\(text)")
        }
    }
}
