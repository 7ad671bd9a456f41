#if DEBUG
import BotKit
import Foundation
import TestSupport

/// The argument scanner driven by the first bytes (which read to do, up to a NUL) over the text after them: words
/// are non-empty and hold no whitespace, integers lie in their range, and every complaint is HTML Telegram accepts
/// that ends with the usage line.
enum ArgumentsFuzz {
    static func run(_ data: [UInt8]) throws {
        let split = data.firstIndex(of: 0) ?? min(data.count, 4)
        let steps = data[..<split].prefix(16)
        let text = String(decoding: data[min(split + 1, data.count)...], as: UTF8.self)
        var scanner = ArgumentScanner(text, usage: "/fuzz <QTY> <SYMBOL> [NOTE…]")
        for step in steps {
            do {
                switch step % 5 {
                case 0:
                    if let word = scanner.optionalWord() { try checkWord(word) }
                case 1:
                    try checkWord(try scanner.word("SYMBOL"))
                case 2:
                    let upper = Int(step) * 1000 - 1
                    let value = try scanner.integer("QTY", in: 1...upper)
                    try require((1...upper).contains(value), "integer \(value) outside 1...\(upper)")
                case 3:
                    _ = scanner.rest()
                    try require(scanner.isAtEnd, "rest() left words unread")
                default:
                    try scanner.finish()
                    try require(scanner.isAtEnd, "finish() passed with words left")
                }
            } catch let error as UserError {
                try require(error.html.contains("Usage: <code>"), "a complaint without the usage line: \(error.html)")
                if case let .failure(problem) = TelegramHTMLValidator.parse(error.html) {
                    throw FuzzViolation(message: "a complaint Telegram would refuse (\(problem.description)): \(error.html)")
                }
            }
        }
    }

    static func checkWord(_ word: String) throws {
        try require(!word.isEmpty, "an empty word")
        try require(!word.contains(where: \.isWhitespace), "a word with whitespace in it: \(word.debugDescription)")
    }
}
#endif
