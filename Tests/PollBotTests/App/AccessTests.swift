import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// `[security] allowed_users` through the whole bot: strangers are refused once, then ignored, and never recorded.
@Suite struct AccessTests {
    let alice = FakeUser(id: 2301, firstName: "Alice")
    let stranger = FakeUser(id: 2399, firstName: "Mallory", username: "mallory")

    @Test func aStrangersFirstPlainTextGetsTheRefusalWithTheirIDThenSilence() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]")
        let first = try #require(await rig.ask("hello?", from: stranger).first?.visibleText)
        #expect(first == "This bot is private. Your Telegram user id is \(stranger.id): ask the bot's owner to add it to allowed_users.")
        await rig.fake.sendText("anyone there?", from: stranger)
        await rig.fake.sendText("/start", from: stranger)
        // One chat is handled in order: once /start has its log row, both plain texts were handled before it.
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        for _ in 0..<100 where try await store.commandLog().isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await rig.fake.sent("sendMessage").count == 1)
        #expect(try await store.commandLog().map(\.outcome) == [.denied])
        await rig.close()
    }

    @Test func turnedAwayStrangersLeaveNoRowInTheUsersTable() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]")
        await rig.ask("/start", from: stranger)                 // refused
        await rig.fake.sendText("/help", from: stranger)        // ignored
        await rig.fake.pressButton(CallbackData(owner: stranger.id, action: "refresh").encoded, by: stranger)
        await rig.ask("/whoami", from: stranger)                // open to everyone, yet still a stranger
        await rig.ask("/start", from: alice)
        await rig.fake.waitForCalls("answerCallbackQuery", count: 1)
        await rig.harness.stop()
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        #expect(try await store.userSummaries().map(\.userID) == [alice.id])
        #expect(try await store.commandLog().count == 5)
        await rig.close()
    }
}
