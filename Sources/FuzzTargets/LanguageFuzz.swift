#if DEBUG
@testable import BotKit
import Foundation
@testable import PollBot
import TestSupport

/// The plain-language grammar on any text: a command it runs is a command line the engine can parse, and a reply
/// is HTML Telegram accepts (the user's words in it are escaped).
enum LanguageFuzz {
    static func run(_ data: [UInt8]) throws {
        let text = String(decoding: data, as: UTF8.self)
        switch PlainLanguage.read(text) {
        case .run(let line):
            try require(ParsedCommand.line(line) != nil, "the grammar ran \(line.debugDescription), which is no command line")
        case .reply(let html):
            if case let .failure(problem) = TelegramHTMLValidator.parse(html) {
                throw FuzzViolation(message: "a reply Telegram would refuse (\(problem.description)): \(html)")
            }
        }
        if text.count <= PlainLanguage.longest, let line = PlainLanguage.orderLine(text) {
            try require(line.hasPrefix("/buy ") || line.hasPrefix("/sell "), "an order line \(line) that is no order")
        }
    }
}
#endif
