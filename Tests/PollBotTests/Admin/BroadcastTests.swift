import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /broadcast through the whole bot: an admin previews, one Confirm sends once to every other known user (announcements
/// levels applied, blocked chats skipped), a second press sends nothing, non-admins are refused.
@Suite struct BroadcastTests {
    let admin = FakeUser(id: 6101, firstName: "Ada")
    let bob = FakeUser(id: 6102, firstName: "Bob")
    let carol = FakeUser(id: 6103, firstName: "Carol")
    let dave = FakeUser(id: 6104, firstName: "Dave")
    let erin = FakeUser(id: 6105, firstName: "Erin")

    @Test func confirmSendsOnceToEachActiveUserWithAnnouncementsOn() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(admin.id)]")
        for user in [bob, carol, dave] { await rig.ask("/start", from: user) }
        // Dave turns announcements off through /settings.
        let settings = try #require(await rig.ask("/settings", from: dave).first)
        await rig.fake.pressButton(try #require(settings.button("News: off")), by: dave, messageID: await rig.fake.lastMessageID)
        _ = await rig.fake.waitForCalls("editMessageText", count: 1)
        // Erin blocked the bot: the reply to her /start fails with 403 and her chat is marked inactive.
        await rig.fake.block(chatID: erin.id)
        _ = await rig.fake.sendText("/start", from: erin)
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        var waited = 0
        while try await store.isChatActive(erin.id), waited < 400 {
            try await Task.sleep(for: .milliseconds(25))
            waited += 1
        }
        #expect(try await store.isChatActive(erin.id) == false)

        let preview = try #require(await rig.ask("/broadcast Markets <b>close</b> early & today", from: admin).first)
        let previewText = try #require(preview.text)
        #expect(previewText.contains("2 of 3 users"))
        #expect(previewText.contains("Markets &lt;b&gt;close&lt;/b&gt; early &amp; today"))
        let confirm = try #require(preview.button("\u{2705} Confirm"))
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.pressButton(confirm, by: admin, messageID: await rig.fake.lastMessageID)
        let sent = await rig.fake.waitForCalls("sendMessage", count: before + 2).dropFirst(before).filter { $0.chatID != admin.id }
        #expect(sent.compactMap(\.chatID).sorted() == [bob.id, carol.id])
        #expect(sent.allSatisfy { $0.text == "Markets &lt;b&gt;close&lt;/b&gt; early &amp; today" })
        // The broadcast's job turns the preview into its progress message and ends with the final count.
        let calls = await rig.fake.waitUntil { $0.contains { $0.text?.hasPrefix("<b>Broadcast finished</b>") == true } }
        let edits = calls.filter { $0.method == "editMessageText" && $0.chatID == admin.id }
        #expect(edits.last?.text?.hasPrefix("<b>Broadcast finished</b>: 2 of 2 sent, 0 blocked (they blocked the bot), 0 failed; "
                                            + "1 skipped (announcements off).") == true)

        // A second press of the same Confirm sends nothing more.
        await rig.fake.pressButton(confirm, by: admin, messageID: await rig.fake.lastMessageID)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 3)
        #expect(answers.last?.parameters["text"] as? String == "This broadcast was already sent, cancelled or has expired.")
        // The two copies, and the final count as a message of its own to the admin.
        #expect(await rig.fake.sent("sendMessage").count == before + 3)
        #expect(await rig.fake.sent("sendMessage").last?.chatID == admin.id)
        await rig.close()
    }

    @Test func nonAdminsAndHostileTextGetClearReplies() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(admin.id)]")
        #expect(await rig.ask("/broadcast hello", from: bob).first?.visibleText == "Only the bot's admins can broadcast.")
        #expect(await rig.ask("/broadcast", from: admin).first?.visibleText?.hasPrefix("Nothing to send") == true)
        let long = String(repeating: "x", count: 3501)
        #expect(await rig.ask("/broadcast \(long)", from: admin).first?.visibleText?.contains("3501 characters") == true)
        // Cancel drops it: a later Confirm of the same preview sends nothing.
        let preview = try #require(await rig.ask("/broadcast hi", from: admin).first)
        let messageID = await rig.fake.lastMessageID
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.pressButton(try #require(preview.button("\u{2716} Cancel")), by: admin, messageID: messageID)
        await rig.fake.pressButton(try #require(preview.button("\u{2705} Confirm")), by: admin, messageID: messageID)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 2)
        #expect(answers.last?.parameters["text"] as? String == "This broadcast was already sent, cancelled or has expired.")
        #expect(await rig.fake.sent("sendMessage").count == before)
        await rig.close()
    }
}
