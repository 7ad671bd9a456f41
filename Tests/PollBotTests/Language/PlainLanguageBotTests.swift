import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// Plain text through the whole bot: a phrase answers exactly as its command, is logged as it, and what the bot
/// cannot read (a photo) is said so; groups stay silent.
@Suite struct PlainLanguageBotTests {
    let alice = FakeUser(id: 5001, firstName: "Alice")

    @Test func aPhraseRepliesAsItsCommandAndIsLoggedAsIt() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let typed = try #require(await rig.ask("/positions", from: alice).first?.visibleText)
        let phrase = try #require(await rig.ask("Please show my positions!", from: alice).first?.visibleText)
        // The same reply but for its freshness line (the second read comes from the cache).
        #expect(phrase.split(separator: "\n").prefix(12) == typed.split(separator: "\n").prefix(12))
        #expect(phrase.contains("RELIANCE NSE MIS"))
        let quote = try #require(await rig.ask("price of reliance", from: alice).first?.visibleText)
        #expect(quote.contains("RELIANCE NSE"))
        #expect(quote.contains("LTP"))
        let help = try #require(await rig.ask("/help", from: alice).first?.visibleText)
        #expect(help.contains("Or just type\nprice of RELIANCE\nquote TCS INFY"))
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        let log = try await store.commandLog()
        #expect(log.contains { $0.command == "/positions" && $0.outcome == .ok })
        #expect(log.filter { $0.command == "/positions" }.count == 2)
        #expect(log.contains { $0.command == "/quote" && $0.arguments == "RELIANCE" })
        await rig.close()
    }

    @Test func aPhotoGetsTheTextOnlyReplyAndGroupTextStaysSilent() async throws {
        let rig = try await BrokerRig.make()
        await rig.fake.sendText("my positions", from: alice, chatID: -100)
        await rig.fake.pushRaw(#"{"update_id":$ID,"message":{"message_id":9,"from":{"id":5001,"is_bot":false,"first_name":"Alice"},"chat":{"id":5001,"type":"private"},"date":\#(Int(Date().timeIntervalSince1970)),"photo":[{"file_id":"x","file_unique_id":"y","width":1,"height":1}],"caption":"<b>look</b>"}}"#)
        let replies = await rig.fake.waitForCalls("sendMessage", count: 1)
        #expect(replies.first?.chatID == alice.id)
        #expect(replies.first?.visibleText == "I read text only, so I cannot use a photo. Type what you want, e.g. price of RELIANCE, or send /help.")
        try await Task.sleep(for: .milliseconds(300))  // nothing more comes: the group text was not answered
        #expect(await rig.fake.sent("sendMessage").count == 1)
        await rig.close()
    }

    @Test func theRateLimitStillAppliesToPhrases() async throws {
        let rig = try await BrokerRig.make(userPerMinute: 1)
        // The limiter is before the grammar, so text spends the budget (a burst of 10): the command after it is refused.
        for _ in 0..<10 { await rig.fake.sendText("hello there", from: alice) }
        await rig.fake.sendText("/whoami", from: alice)
        let replies = await rig.fake.waitForCalls("sendMessage", count: 11)
        #expect(replies.prefix(10).allSatisfy { $0.visibleText?.hasPrefix("I did not understand that.") == true })
        #expect(replies.last?.visibleText?.hasPrefix("Slow down") == true)
        await rig.close()
    }
}
