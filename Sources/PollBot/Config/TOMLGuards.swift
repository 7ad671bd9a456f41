import BotKit
import Foundation

/// Inputs that toml++ (inside TOMLKit) does not report as errors but asserts on: an abort in a debug build, undefined
/// behaviour in a release one (`TOML_ASSERT_ASSUME`). Each was found by the config fuzzer; they are refused with the
/// line before TOMLKit reads the text.
enum TOMLGuards {
    /// Throws a `ConfigError` naming the line of the first input toml++ would assert on.
    static func check(_ text: String, fileName: String) throws {
        try refuseControlCharacters(text, fileName: fileName)
        try refuseNamelessTableHeaders(text, fileName: fileName)
        try refuseBraceAsArrayElement(text, fileName: fileName)
    }

    /// TOML allows no control character but tab, LF and CR anywhere, and toml++ asserts (aborting the process) on
    /// some of them, e.g. NUL in a table header, instead of reporting an error: they are refused before it reads.
    static func refuseControlCharacters(_ text: String, fileName: String) throws {
        var line = 1, column = 0
        for scalar in text.unicodeScalars {
            column += 1
            if scalar == "\n" {
                line += 1
                column = 0
            } else if (scalar.value < 0x20 && scalar != "\t" && scalar != "\r") || scalar.value == 0x7F {
                let code = String(format: "U+%04X", scalar.value)
                throw ConfigError("\(fileName) line \(line): a control character (\(code)) at column \(column); TOML allows only tab, line feed and carriage return there, remove it")
            }
        }
    }

    /// toml++ asserts (undefined behaviour in a release build) when a table header's name starts with a character
    /// that can start no key (`[+x]`, `[` then a line break): such a line is refused first. A line of a multi-line
    /// array that starts with `[` followed by such a character (`[+1, 2]`) is refused too; bot.toml has no such value.
    static func refuseNamelessTableHeaders(_ text: String, fileName: String) throws {
        let starts = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-\"']".unicodeScalars)
        // Split by scalars: "\r\n" is one Character, so splitting the String by "\n" left Windows files in one line.
        for (number, line) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // toml++ skips a byte order mark at the very start, so `\u{FEFF}[…` is a header to it as well.
            let scalars = number == 0 && line.first == "\u{FEFF}" ? line.dropFirst() : line[...]
            var rest = scalars.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            if rest.first == "[" { rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" } }
            guard let first = rest.first, starts.contains(first) else {
                throw ConfigError("\(fileName) line \(number + 1): a table header must start with a name (letters, digits, _ or -, or quoted) on the same line")
            }
        }
    }

    /// toml++ asserts when an array element starts with `}` (`[}`, `[1, }`, `[ # note` then `}` on the next line):
    /// strings and comments are skipped, table headers are not arrays, and `{a = 1,}` or `[1, ]` are left to toml++.
    static func refuseBraceAsArrayElement(_ text: String, fileName: String) throws {
        let scalars = Array(text.unicodeScalars)
        var open: [Unicode.Scalar] = []
        var afterEquals = false
        var expectElement = false
        var line = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\n":
                line += 1
                if open.isEmpty { afterEquals = false }
            case " ", "\t", "\r":
                break
            case "#":
                while index + 1 < scalars.count, scalars[index + 1] != "\n" { index += 1 }
            case "\"", "'":
                expectElement = false
                index = endOfString(scalars, from: index, line: &line)
            default:
                if expectElement, scalar == "}" {
                    throw ConfigError("\(fileName) line \(line): an array element cannot start with }; write the value, or close the array with ]")
                }
                expectElement = false
                switch scalar {
                case "=" where open.isEmpty: afterEquals = true
                case "[" where !open.isEmpty || afterEquals:
                    open.append("[")
                    expectElement = true
                case "{" where !open.isEmpty || afterEquals: open.append("{")
                case "]", "}": if !open.isEmpty { open.removeLast() }
                case ",": expectElement = open.last == "["
                default: break
                }
            }
            index += 1
        }
    }

    /// The index of the last scalar of the string starting at `start` (basic or literal, one line or three quotes).
    private static func endOfString(_ scalars: [Unicode.Scalar], from start: Int, line: inout Int) -> Int {
        let quote = scalars[start]
        let triple = start + 2 < scalars.count && scalars[start + 1] == quote && scalars[start + 2] == quote
        var index = start + (triple ? 3 : 1)
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                if !triple { return index - 1 }
                line += 1
            } else if scalar == "\\", quote == "\"" {
                index += 1
            } else if scalar == quote, !triple || (index + 2 < scalars.count && scalars[index + 1] == quote && scalars[index + 2] == quote) {
                return triple ? index + 2 : index
            }
            index += 1
        }
        return scalars.count - 1
    }
}
