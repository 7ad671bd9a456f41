import BotKit
@testable import PollBot
import Foundation
import Logging
import TestSupport
import Testing

/// The real poller, dispatcher and sender, over libcurl, against the fake Telegram.
@Suite struct BotIntegrationTests {
    let alice = FakeUser(id: 1001, firstName: "Alice")

    @Test func startAnswersAndHelpIsBuiltFromTheRegistry() async throws {
        let harness = try await BotHarness.start()
        await harness.fake.sendText("/start", from: alice)
        await harness.fake.sendText("/help", from: alice)
        let replies = await harness.fake.waitForCalls("sendMessage", count: 2)
        await harness.shutdown()
        try #require(replies.count == 2)
        #expect(replies[0].text?.contains("Hello, Alice!") == true)
        #expect(replies[0].parameters["parse_mode"] as? String == "HTML")
        for command in TraderApp.registry.commands {
            #expect(replies[1].text?.contains("/\(command.name) \u{2014} \(HTML.escape(command.summary))") == true)
        }
        #expect(await harness.fake.registeredCommands == TraderApp.registry.commands.map { $0.name })
    }

    @Test func userInputWithUnderscoreAndMarkupReachesTelegramIntact() async throws {
        let harness = try await BotHarness.start()
        let input = "my_sym<b>&x"
        await harness.fake.sendText("/help \(input)", from: alice)
        let replies = await harness.fake.waitForCalls("sendMessage", count: 1)
        await harness.shutdown()
        // Accepted in HTML mode (the fake refuses bad HTML) and shows the input exactly as typed.
        #expect(replies.first?.parameters["parse_mode"] as? String == "HTML")
        #expect(replies.first?.visibleText == "There is no command /\(input). Send /help for the list.")
    }

    @Test func unknownCommandsAndPlainTextGetAPointerToHelp() async throws {
        let harness = try await BotHarness.start()
        await harness.fake.sendText("/nosuch", from: alice)
        await harness.fake.sendText("hello there", from: alice)
        let replies = await harness.fake.waitForCalls("sendMessage", count: 2)
        await harness.shutdown()
        #expect(replies.map(\.text) == ["I do not know /nosuch. Send /help to see the commands.", "I did not understand that. Send /help for the commands and the phrases I know."])
    }

    @Test func editedMessagesNeverRunCommands() async throws {
        let harness = try await BotHarness.start()
        await harness.fake.sendText("/start", from: alice, edited: true)
        await harness.fake.sendText("/help start", from: alice)
        let replies = await harness.fake.waitForCalls("sendMessage", count: 1)
        try await Task.sleep(for: .milliseconds(300))
        let all = await harness.fake.sent("sendMessage")
        await harness.shutdown()
        #expect(all.count == 1)
        #expect(replies.first?.text?.contains("/start</b>") == true)
    }

    @Test func commandsSentWhileTheBotWasDownAreNotRunButExplained() async throws {
        let harness = try await BotHarness.start(staleAfter: 120)
        await harness.fake.sendText("/start", from: alice, date: Date().addingTimeInterval(-600))
        let replies = await harness.fake.waitForCalls("sendMessage", count: 1)
        await harness.shutdown()
        let text = try #require(replies.first?.text)
        #expect(text.hasPrefix("/start sent at "))
        #expect(text.hasSuffix("was not run because the bot was offline; send it again if you still want it."))
    }

    @Test func anUndecodableUpdateIsSkippedWithoutBlockingTheBatch() async throws {
        let fake = try await FakeTelegram.start()
        let bad = await fake.pushRaw(#"{"update_id":$ID,"message":{"message_id":"not a number","chat":7}}"#)
        let good = await fake.sendText("/start", from: alice)
        let harness = try await BotHarness.start(fake: fake)
        let replies = await fake.waitForCalls("sendMessage", count: 1)
        await harness.shutdown()
        #expect(replies.count == 1)
        #expect(await fake.confirmedBelow > max(bad, good))
    }

    @Test func repliesInOneChatKeepTheirOrder() async throws {
        let harness = try await BotHarness.start()
        for index in 1...8 { await harness.fake.sendText("/help c\(index)", from: alice) }
        let replies = await harness.fake.waitForCalls("sendMessage", count: 8)
        await harness.shutdown()
        #expect(replies.map(\.text) == (1...8).map { "There is no command /c\($0). Send /help for the list." })
    }

    @Test func buttonPressesAreAlwaysAnswered() async throws {
        let harness = try await BotHarness.start()
        await harness.fake.pressButton("old:button", by: alice)
        let answers = await harness.fake.waitForCalls("answerCallbackQuery", count: 1)
        await harness.shutdown()
        #expect(answers.count == 1)
    }

    @Test func aRejectedTokenStopsTheBotWithExitCode78() async throws {
        let fake = try await FakeTelegram.start(token: "999:right-token")
        let directory = try TemporaryDirectory()
        let text = BotHarness.configText(fake: fake, directory: directory).replacingOccurrences(of: "999:right-token", with: "999:wrong-token")
        let bot = try TraderApp.bot(config: try ConfigLoader.parse(text), logger: Logger(label: "test"))
        await #expect(throws: BotStartupError.self) { try await bot.run() }
        #expect(BotStartupError.tokenRejected.exitCode == 78)
        await fake.stop()
        directory.remove()
    }

    @Test func aMissingOrOpenMasterKeyStopsTheBotWithExitCode78() async throws {
        let fake = try await FakeTelegram.start()
        let directory = try TemporaryDirectory()
        let config = try ConfigLoader.parse(BotHarness.configText(fake: fake, directory: directory))
        chmod(config.security.keyFile, 0o640)
        do {
            _ = try TraderApp.bot(config: config, logger: Logger(label: "test"))
            Issue.record("a group-readable key was accepted")
        } catch let error as BotStartupError {
            #expect(error.exitCode == 78)
            #expect("\(error)".contains("chmod 600"))
        }
        try FileManager.default.removeItem(atPath: config.security.keyFile)
        #expect(throws: BotStartupError.self) { _ = try TraderApp.bot(config: config, logger: Logger(label: "test")) }
        await fake.stop()
        directory.remove()
    }

    @Test func aSecondBotOnTheSameDatabaseRefusesToStart() async throws {
        let harness = try await BotHarness.start()
        #expect(throws: BotStartupError.self) { _ = try TraderApp.bot(config: harness.config, logger: Logger(label: "test")) }
        await harness.shutdown()
    }

    @Test func shutdownStopsTheLongPollAtOnceAndConfirmsTheOffset() async throws {
        let harness = try await BotHarness.start()
        let id = await harness.fake.sendText("/start", from: alice)
        await harness.fake.waitForCalls("sendMessage", count: 1)
        try await Task.sleep(for: .milliseconds(200))  // the next long poll is now waiting
        let started = ContinuousClock.now
        let error = await harness.stop()
        let took = started.duration(to: .now)
        #expect(error == nil)
        #expect(took < .seconds(1.5), "stop took \(took)")
        #expect(await harness.fake.confirmedBelow > id)
        await harness.shutdown()
    }

    @Test func aWebhookLeftOverIsRemovedAtStart() async throws {
        let fake = try await FakeTelegram.start()
        await fake.setWebhook("https://example.invalid/hook")
        await fake.sendText("/start", from: alice)
        let harness = try await BotHarness.start(fake: fake)
        let replies = await fake.waitForCalls("sendMessage", count: 1)
        await harness.shutdown()
        #expect(replies.count == 1)
    }

    @Test func anotherPollerCausesA409AndTheBotRecovers() async throws {
        let harness = try await BotHarness.start()
        try await Task.sleep(for: .milliseconds(300))
        // A second "instance" polls with the same token: the bot's waiting poll is ended with 409.
        let intruder = TelegramClient(apiURL: harness.fake.apiURL, token: harness.fake.token)
        _ = try? await intruder.getUpdates(offset: 0, timeout: 0, allowedUpdates: [])
        await harness.fake.sendText("/start", from: alice)
        let replies = await harness.fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(10))
        await harness.shutdown()
        #expect(replies.count == 1)
    }
}
