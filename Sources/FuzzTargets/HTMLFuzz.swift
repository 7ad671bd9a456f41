#if DEBUG
import BotKit
import Foundation
import TestSupport

/// Escaping and the splitter. The bytes are a little script: byte 1 opens a tag (the next byte picks which), byte 2
/// closes the innermost, anything else is text, escaped as every dynamic value is. The message so built must pass
/// Telegram's HTML check; each part the splitter makes must pass it too and fit the limit, and the parts together
/// keep every visible character (only whitespace at the cuts may go).
enum HTMLFuzz {
    static let tags = ["b", "i", "u", "s", "code", "pre", "tg-spoiler", "blockquote", "a href=\"https://t.me/x?a=1&amp;b=2\"", "span class=\"tg-spoiler\""]

    static func run(_ data: [UInt8]) throws {
        var input = FuzzBytes(data)
        // The real limit most of the time; small limits make cuts (and tags open across them) common.
        let limits = [MessageSplitter.messageLimit, 2, 3, 5, 8, 16, 40, 100]
        let limit = limits[Int(input.byte()) % limits.count]
        var html = "", pending: [UInt8] = [], open: [String] = []
        func flush() {
            let text = String(decoding: pending, as: UTF8.self)
            let escaped = HTML.escape(text)
            html += escaped
            pending = []
        }
        while !input.isAtEnd {
            let byte = input.byte()
            switch byte {
            case 1 where open.count < 8:
                flush()
                let tag = tags[Int(input.byte()) % tags.count]
                html += "<\(tag)>"
                open.append(String(tag.prefix { $0 != " " }))
            case 2:
                flush()
                if let name = open.popLast() { html += "</\(name)>" }
            default:
                pending.append(byte)
            }
        }
        flush()
        for name in open.reversed() { html += "</\(name)>" }
        try checkEscaping(html)
        guard case let .success(visible) = TelegramHTMLValidator.parse(html) else {
            throw FuzzViolation(message: "escaped text failed Telegram's HTML check: \(html.debugDescription)")
        }
        try require(HTML.plainText(html) == visible, "plainText disagrees with Telegram's reading")
        let parts = MessageSplitter.split(html, limit: limit)
        var joined = ""
        for part in parts {
            switch TelegramHTMLValidator.parse(part) {
            case .failure(let problem):
                throw FuzzViolation(message: "a part Telegram would refuse (\(problem.description)): \(part.debugDescription)")
            case .success(let text):
                try require(text.utf16.count <= limit, "a part of \(text.utf16.count) UTF-16 units over the limit \(limit)")
                joined += text
            }
        }
        try require(joined.unicodeScalars.filter { !$0.properties.isWhitespace }.elementsEqual(
                        visible.unicodeScalars.filter { !$0.properties.isWhitespace }),
                    "the parts lost or changed visible text")
    }

    /// No raw `<` or `&` of the text survives escaping: each `&` starts one of the four entities.
    static func checkEscaping(_ html: String) throws {
        let text = HTML.plainText(html)
        let escaped = HTML.escape(text)
        try require(!escaped.unicodeScalars.contains { $0 == "<" || $0 == ">" || $0 == "\"" }, "escape left a raw mark")
        // Scalars, as Telegram reads them: ";" + a combining mark is one Character and would hide "&amp;".
        let scalars = escaped.unicodeScalars
        var index = scalars.startIndex
        while let amp = scalars[index...].firstIndex(of: "&") {
            let tail = scalars[amp...]
            try require(["&lt;", "&gt;", "&amp;", "&quot;"].contains { tail.starts(with: $0.unicodeScalars) }, "escape left a raw &")
            index = scalars.index(after: amp)
        }
        try require(HTML.plainText(escaped) == text, "plainText(escape(x)) is not x")
    }
}
#endif
