import BotKit
import Foundation
import TestSupport
import Testing

/// CommandLogStep: one row per command, press and secret-bearing message, and never more of it than is safe to keep.
@Suite struct CommandLogStepTests {
    typealias F = StepFixtures
    let step = CommandLogStep(secrets: F.secrets)

    @Test func aCommandIsLoggedWithItsWordsOutcomeAndTiming() async throws {
        var inner = RouterResponse(text: "failed", outcome: .error, errorID: "abc123")
        inner.user = F.user
        let before = Date()
        let response = await step.handle(F.request("/Echo hello world"), next: NextProbe(inner).handler)
        let log = try #require(response.log)
        #expect(log.userID == F.user.id)
        #expect(log.chatID == F.user.id)
        #expect(log.command == "/echo")
        #expect(log.arguments == "hello world")
        #expect(log.outcome == .error)
        #expect(log.errorID == "abc123")
        #expect(log.startedAt >= before && log.startedAt <= Date())
        #expect(log.latencyMilliseconds >= 0)
        #expect(response.text == "failed" && response.user == F.user)  // the rest of the answer is untouched
    }

    @Test func aButtonPressIsLoggedWithItsDataUnlessTheDataLooksSecret() async throws {
        let plain = await step.handle(F.press("u42|menu:funds"), next: NextProbe().handler)
        #expect(plain.log?.command == "button")
        #expect(plain.log?.arguments == "u42|menu:funds")
        let secret = await step.handle(F.press("u42|\(F.key)"), next: NextProbe().handler)
        #expect(secret.log?.command == "button")
        #expect(secret.log?.arguments == "(redacted)")
    }

    @Test func aSecretCarryingCommandKeepsOnlyItsCheckedArguments() async throws {
        var checked = RouterResponse(outcome: .ok)
        checked.loggedArguments = "account=main"
        let parsed = await step.handle(F.request("/vault main \(F.key)"), next: NextProbe(checked).handler)
        #expect(parsed.log?.command == "/vault")
        #expect(parsed.log?.arguments == "account=main")
        // One that failed to parse (no checked fields) keeps nothing of what was typed.
        let unparsed = await step.handle(F.request("/vault \(F.key)"), next: NextProbe(RouterResponse(text: "usage", outcome: .usage)).handler)
        #expect(unparsed.log?.arguments == "")
        #expect(unparsed.log?.outcome == .usage)
    }

    @Test func aMessageThatExposedASecretIsLoggedWithoutIt() async throws {
        var text = F.request("my key is \(F.key)")
        text.exposesSecret = true
        let plain = await step.handle(text, next: NextProbe().handler)
        #expect(plain.log?.command == "text")
        #expect(plain.log?.arguments == "")
        var command = F.request("/echo \(F.key)")
        command.exposesSecret = true
        let echoed = await step.handle(command, next: NextProbe().handler)
        #expect(echoed.log?.command == "/echo")
        #expect(echoed.log?.arguments == "")
    }

    @Test func unknownCommandsKeepNoArgumentsAndANameOnlyOfCommandShape() async throws {
        let shaped = await step.handle(F.request("/nosuch some words"), next: NextProbe().handler)
        #expect(shaped.log?.command == "/nosuch")
        #expect(shaped.log?.arguments == "")
        let typedKey = await step.handle(F.request("/\(F.key) x"), next: NextProbe().handler)
        #expect(typedKey.log?.command == "/(unknown)")
    }

    @Test func plainTextWithoutASecretIsNotLogged() async {
        let response = await step.handle(F.request("hello"), next: NextProbe().handler)
        #expect(response.log == nil)
        #expect(response.text == "handled")
    }
}
