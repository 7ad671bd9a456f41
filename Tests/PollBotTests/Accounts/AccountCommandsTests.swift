import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// /link and friends through the whole bot, against the fake Telegram and the fake OpenAlgo.
@Suite struct AccountCommandsTests {
    static let apiKey = BrokerRig.apiKey
    let alice = FakeUser(id: 2001, firstName: "Alice")
    let bob = FakeUser(id: 2002, firstName: "Bob")

    typealias Rig = BrokerRig

    @Test func linkChecksTheKeyStoresItSealedAndDeletesTheMessage() async throws {
        let rig = try await Rig.make()
        let messageUpdate = await rig.fake.sendText("/link \(Self.apiKey)", from: alice)
        _ = messageUpdate
        let reply = try #require(await rig.replies(1).first)
        #expect(reply.contains("Linked main (\(rig.broker.host), key \u{2026}4e5f); it is now your active account."))
        #expect(reply.contains("I deleted your message with the key"))
        #expect(await rig.fake.sent("deleteMessage").count == 1)
        #expect(await rig.broker.requests.map(\.endpoint) == ["funds"])

        await rig.fake.sendText("/accounts", from: alice)
        let listing = try #require(await rig.replies(2).last)
        #expect(listing.contains("main (\(rig.broker.host), key \u{2026}4e5f) \u{2190} active"))
        #expect(!listing.contains(Self.apiKey))

        await rig.fake.sendText("/status", from: alice)
        #expect(try #require(await rig.replies(3).last).contains("OpenAlgo answers ("))

        // The command log keeps no key.
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        let linkRows = try await store.commandLog().filter { $0.command == "/link" }
        #expect(linkRows.map(\.arguments) == ["name=main"])
        #expect(linkRows.map(\.outcome) == [.ok])
        await rig.close()
    }

    @Test func aRejectedKeyIsNotStoredAndStillDeleted() async throws {
        let rig = try await Rig.make()
        await rig.fake.sendText("/link wrong-key-123456", from: alice)
        let reply = try #require(await rig.replies(1).first)
        #expect(reply.contains("did not accept the key: OpenAlgo rejected the API key (Invalid openalgo apikey). Nothing was stored."))
        #expect(await rig.fake.sent("deleteMessage").count == 1)
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        #expect(try await store.accounts(of: alice.id).isEmpty)
        await rig.close()
    }

    @Test func aHostOutsideTheAllowlistIsRefusedWithoutAnyRequest() async throws {
        let rig = try await Rig.make()
        let elsewhere = try await FakeOpenAlgo.start(validKeys: [Self.apiKey])
        await rig.fake.sendText("/link \(Self.apiKey) \(elsewhere.host) other", from: alice)
        let reply = try #require(await rig.replies(1).first)
        #expect(reply.contains("I may only call the OpenAlgo hosts the bot's owner listed"))
        #expect(await elsewhere.requests.isEmpty)
        #expect(await rig.broker.requests.isEmpty)
        await elsewhere.stop()
        await rig.close()
    }

    @Test func unlinkSaysWhatItRemovedAndTheRowIsGone() async throws {
        let rig = try await Rig.make()
        await rig.fake.sendText("/link \(Self.apiKey)", from: alice)
        await rig.fake.sendText("/link \(Self.apiKey) second", from: alice)
        await rig.fake.sendText("/use main", from: alice)
        await rig.fake.sendText("/unlink all", from: alice)
        let replies = await rig.replies(4)
        try #require(replies.count == 4)
        #expect(replies[2] == "Your active account is now main.")
        #expect(replies[3].hasPrefix("Removed main (") && replies[3].contains("second (")
            && replies[3].hasSuffix("Their sealed keys are deleted from the bot's database."))
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        #expect(try await store.accounts(of: alice.id).isEmpty)
        await rig.close()
    }

    @Test func accountCommandsStayOutOfGroups() async throws {
        let rig = try await Rig.make()
        await rig.fake.sendText("/accounts", from: alice, chatID: -500)
        #expect(await rig.replies(1) == ["/accounts shows or changes account data: use a private chat with me."])
        await rig.close()
    }

    @Test func strangersAreRefusedOnceWithTheirIDThenIgnored() async throws {
        let rig = try await Rig.make(security: "allowed_users = [\(alice.id)]")
        await rig.fake.sendText("/start", from: bob)
        await rig.fake.sendText("/start", from: bob)
        await rig.fake.sendText("/whoami", from: bob)
        let replies = await rig.replies(2)
        try #require(replies.count == 2)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await rig.fake.sent("sendMessage").count == 2)
        #expect(replies[0] == "This bot is private. Your Telegram user id is \(bob.id): ask the bot's owner to add it to allowed_users.")
        #expect(replies[1] == "Your user id: \(bob.id)\nThis chat's id: \(bob.id)")
        await rig.close()
    }

    @Test func aStrangersButtonPressDoesNothing() async throws {
        let rig = try await Rig.make()
        await rig.fake.pressButton(CallbackData(owner: alice.id, action: "refresh").encoded, by: bob)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(answers.first?.parameters["text"] as? String == "This button is not for you.")
        #expect(await rig.fake.sent("sendMessage").isEmpty)
        #expect(await rig.fake.sent("editMessageText").isEmpty)
        await rig.close()
    }

    @Test func theRateLimiterAnswersOnceThenStaysSilent() async throws {
        let rig = try await Rig.make(userPerMinute: 1)  // burst 10, then one a minute
        for _ in 0..<13 { await rig.fake.sendText("/whoami", from: alice) }
        let replies = await rig.replies(11)
        try await Task.sleep(for: .milliseconds(400))
        #expect(await rig.fake.sent("sendMessage").count == 11)
        #expect(replies.filter { $0.hasPrefix("Slow down: try again in ") }.count == 1)
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        #expect(try await store.commandLog().filter { $0.outcome == .rateLimited }.count == 3)
        await rig.close()
    }
}
