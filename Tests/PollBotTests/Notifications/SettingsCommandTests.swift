import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport
import Testing

/// /settings through the whole bot: every kind with its level, buttons that set it and edit the message in place,
/// refused to anyone but the owner.
@Suite struct SettingsCommandTests {
    let alice = FakeUser(id: 5301, firstName: "Alice")
    let mallory = FakeUser(id: 5302, firstName: "Mallory")

    @Test func buttonsSetALevelInPlaceAndAStrangersPressIsRefused() async throws {
        let rig = try await BrokerRig.make()
        let settings = try #require(await rig.ask("/settings", from: alice).first)
        let messageID = await rig.fake.lastMessageID
        let text = try #require(settings.visibleText)
        #expect(text.contains("Price alerts: on"))
        #expect(text.contains("Order fills and rejections: on"))
        #expect(text.contains("Daily summary: silent"))
        #expect(text.contains("P&L thresholds: on"))
        #expect(text.contains("Announcements: on"))
        #expect(text.contains("A price alert still fires once while price alerts are off"))
        #expect(settings.buttons.count == 15)
        #expect(settings.buttons.contains { $0.text == "\u{2713} Orders: on" })

        await rig.fake.pressButton(try #require(settings.button("Orders: silent")), by: alice, messageID: messageID)
        let edits = await rig.fake.waitForCalls("editMessageText", count: 1)
        let edited = try #require(edits.last)
        #expect(edited.visibleText?.contains("Order fills and rejections: silent") == true)
        #expect(edited.buttons.contains { $0.text == "\u{2713} Orders: silent" })
        #expect(await rig.fake.waitForCalls("answerCallbackQuery", count: 1).last?.parameters["text"] as? String
                == "Order fills and rejections: silent")

        // Mallory presses Alice's "off": refused, and Alice's level stays silent.
        await rig.fake.pressButton(try #require(settings.button("Orders: off")), by: mallory, messageID: messageID)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 2)
        #expect(answers.last?.parameters["text"] as? String == "This button is not for you.")
        let again = try #require(await rig.ask("/settings", from: alice).first?.visibleText)
        #expect(again.contains("Order fills and rejections: silent"))
        #expect(await rig.fake.sent("editMessageText").count == 1)
        await rig.close()
    }

    @Test func aStaleOrForgedButtonChangesNothing() async throws {
        let fixture = try await AlertFixture.make()
        let reply = try await SettingsButtons.press(fixture.pressContext("orders:loud"))
        #expect(reply.toast == "This button is no longer active.")
        #expect(reply.messages.isEmpty)
        #expect(try await fixture.store.notificationLevel(.orders, of: AlertFixture.user) == .on)
        await fixture.close()
    }
}

extension AlertFixture {
    /// A press of a button with `action` (its prefix removed), as the owner in their private chat.
    func pressContext(_ action: String) -> TraderPress {
        let who = User(id: Self.user, firstName: "Alice")
        let message = Message(messageID: 1, from: nil, chat: Chat(id: Self.user, type: "private"), date: 0, text: nil)
        let bot = BotContext(identity: BotIdentity(id: 1, username: "pollbot", firstName: "Poll"), store: store,
                             logger: Logger(label: "test.settings"), help: [])
        return ButtonPress(action: action, query: CallbackQuery(id: "q", from: who, message: message, data: action), message: message,
                           bot: bot, services: services)
    }
}
