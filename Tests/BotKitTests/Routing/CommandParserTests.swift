import Testing
@testable import BotKit

@Suite struct CommandParserTests {
    func message(_ text: String, commandLength: Int? = nil) -> Message {
        let length = commandLength ?? text.prefix { !$0.isWhitespace }.utf16.count
        return Message(messageID: 1, from: User(id: 7, firstName: "A"), chat: Chat(id: 7, type: "private"), date: 0,
                       text: text, entities: [MessageEntity(type: "bot_command", offset: 0, length: length)])
    }

    @Test func readsNameAndArguments() {
        let parsed = CommandParser.parse(message("/Quote  RELIANCE NSE"), botUsername: "PollTestBot")
        #expect(parsed == ParsedCommand(name: "quote", arguments: "RELIANCE NSE", typed: "/Quote"))
    }

    @Test func stripsThisBotsNameCaseInsensitively() {
        let parsed = CommandParser.parse(message("/help@polltestbot quote"), botUsername: "PollTestBot")
        #expect(parsed?.name == "help")
        #expect(parsed?.arguments == "quote")
    }

    @Test func ignoresCommandsForAnotherBot() {
        #expect(CommandParser.parse(message("/help@OtherBot"), botUsername: "PollTestBot") == nil)
    }

    @Test func usesUTF16Offsets() {
        // "/start" is 6 UTF-16 units; the emoji after it takes 2 and must stay in the arguments.
        let parsed = CommandParser.parse(message("/start 📈x", commandLength: 6), botUsername: "b")
        #expect(parsed?.arguments == "📈x")
    }

    @Test func textWithoutACommandEntityIsNotACommand() {
        var plain = message("/start")
        plain.entities = nil
        #expect(CommandParser.parse(plain, botUsername: "b") == nil)
    }

    @Test func scannerRefusesLeftoverWords() throws {
        var scanner = ArgumentScanner("AAPL NSE extra", usage: "/quote SYMBOL [EXCHANGE]")
        #expect(try scanner.word("SYMBOL") == "AAPL")
        #expect(scanner.optionalWord() == "NSE")
        #expect(throws: UserError.self) { try scanner.finish() }
    }

    @Test func scannerExplainsABadNumber() {
        var scanner = ArgumentScanner("abc", usage: "/chart SYMBOL DAYS")
        do {
            _ = try scanner.integer("DAYS", in: 1...365)
            Issue.record("expected a usage error")
        } catch let error as UserError {
            #expect(error.html.contains("DAYS must be a whole number from 1 to 365, not abc."))
            #expect(error.html.contains("Usage: <code>/chart SYMBOL DAYS</code>"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
