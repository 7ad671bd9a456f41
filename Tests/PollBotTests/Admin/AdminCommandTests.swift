import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /admin through the whole bot: an admin in a private chat sees users, traffic, given-up updates, breakers and armed
/// alerts, and switches the period in place; anyone else, or a group, is refused.
@Suite struct AdminCommandTests {
    let admin = FakeUser(id: 6201, firstName: "Ada")
    let bob = FakeUser(id: 6202, firstName: "Bob")
    let carol = FakeUser(id: 6203, firstName: "Carol")

    @Test func anAdminSeesTheBotsFiguresAndSwitchesThePeriodInPlace() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(admin.id)]")
        for user in [bob, carol] { await rig.ask("/start", from: user) }
        await rig.ask("/nosuchcommand", from: bob)
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        // Carol was last active 10 days ago and is disabled; an alert is armed.
        try await store.touchUser(User(id: carol.id, firstName: "Carol"), now: Date().addingTimeInterval(-10 * 86_400))
        #expect(try await store.setUserDisabled(carol.id, true) == .changed)
        _ = try await store.armAlert(userID: bob.id, chatID: bob.id, account: "main", host: rig.broker.host,
                                 instrument: Instrument("RELIANCE", "NSE"), kind: .above, level: 1500, direction: .above,
                                 referencePrice: 1400, limit: 10, now: Date())

        let day = try await store.periodStats(days: 1)
        #expect(day.commands >= 3)
        let reply = try #require(await rig.ask("/admin", from: admin).first)
        let text = try #require(reply.text)
        #expect(text.hasPrefix("<b>Admin</b>: last day"))
        // Ada is recorded once her /admin completes: not yet in her first report.
        #expect(text.contains("<b>Users</b>: 2 known, 1 disabled"))
        #expect(text.contains("active: 1 today, 1 in 7 d, 2 in 30 d"))
        #expect(text.contains("commands: \(day.commands), failed \(day.failures)"))
        #expect(text.contains("p95 latency: "))
        #expect(text.contains("<b>Given up</b>: 0 updates"))
        #expect(text.contains("<b>Alerts armed</b>: 1"))
        #expect(text.contains("closed: \(HTML.escape(rig.broker.host))"))
        #expect((try? TelegramHTMLValidator.parse(text).get()) != nil)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 60 }, "short lines for a phone")
        #expect(reply.button("\u{2022} 1 day") != nil)

        let week = try #require(reply.button("7 days"))
        await rig.fake.pressButton(week, by: admin, messageID: await rig.fake.lastMessageID)
        let edit = try #require(await rig.fake.waitForCalls("editMessageText", count: 1).last)
        #expect(edit.text?.hasPrefix("<b>Admin</b>: last 7 days") == true)
        #expect(edit.text?.contains("commands: \(day.commands + 1), failed \(day.failures)") == true)  // /admin is logged now
        #expect(edit.text?.contains("<b>Users</b>: 3 known, 1 disabled") == true)
        #expect(edit.button("\u{2022} 7 days") != nil)

        // Another user's press of the admin's button is refused by the owner check, never redrawn.
        await rig.fake.pressButton(week, by: bob, messageID: await rig.fake.lastMessageID)
        _ = await rig.fake.waitForCalls("answerCallbackQuery", count: 2)
        #expect(await rig.fake.sent("editMessageText").count == 1)
        await rig.close()
    }

    @Test func nonAdminsAndGroupsAreRefused() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(admin.id)]")
        #expect(await rig.ask("/admin", from: bob).first?.visibleText == "Only the bot's admins can use /admin.")
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.sendText("/admin", from: admin, chatID: -900)
        let group = await rig.fake.waitForCalls("sendMessage", count: before + 1).last
        #expect(group?.chatID == -900)
        #expect(group?.visibleText?.contains("use a private chat with me") == true)
        #expect(group?.visibleText?.contains("Users") == false)
        await rig.close()
    }
}
