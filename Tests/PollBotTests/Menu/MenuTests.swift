import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// /menu through the whole bot: buttons edit the menu message in place, every press is answered.
@Suite struct MenuTests {
    let alice = FakeUser(id: 5001, firstName: "Alice")

    @Test func buttonsEditTheMenuInPlaceWithBackPagingAndRefresh() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let menu = try #require(await rig.ask("/menu", from: alice).first)
        let menuID = await rig.fake.lastMessageID
        #expect(menu.buttons.map(\.text) == ["Funds", "P&L", "Positions", "Holdings", "Orders", "Trades", "\u{21BB} Refresh"])
        #expect(menu.visibleText?.contains("Available cash") == true)

        // Orders: 90 orders do not fit one message, so the menu pages them.
        await rig.fake.pressButton(try #require(menu.button("Orders")), by: alice, messageID: menuID)
        var edits = await rig.fake.waitForCalls("editMessageText", count: 1)
        let orders = try #require(edits.last)
        #expect(orders.parameters["message_id"] as? Int64 == menuID || (orders.parameters["message_id"] as? NSNumber)?.int64Value == menuID)
        #expect(orders.visibleText?.contains("Open (20)") == true)
        #expect(orders.visibleText?.contains("Page 1 of ") == true)
        #expect(orders.buttons.map(\.text) == ["Next \u{25B6}", "\u{21BB} Refresh", "\u{00AB} Back"])
        await rig.fake.pressButton(try #require(orders.button("Next \u{25B6}")), by: alice, messageID: menuID)
        edits = await rig.fake.waitForCalls("editMessageText", count: 2)
        let second = try #require(edits.last)
        #expect(second.visibleText?.contains("Page 2 of ") == true)
        #expect(second.buttons.first?.text == "\u{25C0} Prev")

        // Back returns to the menu; every press was answered.
        await rig.fake.pressButton(try #require(second.button("\u{00AB} Back")), by: alice, messageID: menuID)
        edits = await rig.fake.waitForCalls("editMessageText", count: 3)
        #expect(edits.last?.buttons.count == 7)
        #expect(await rig.fake.waitForCalls("answerCallbackQuery", count: 3).count == 3)
        #expect(await rig.broker.requests.filter { $0.endpoint == "orderbook" }.count == 1)  // paging reads the cache

        // Refresh on an unchanged menu: Telegram says "not modified", which is success, not an error.
        let home = try #require(edits.last)
        await rig.fake.pressButton(try #require(home.button("\u{21BB} Refresh")), by: alice, messageID: menuID)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 4)
        #expect(answers.last?.parameters["text"] as? String == "Refreshed")
        _ = await rig.fake.waitForCalls("editMessageText", count: 4)
        let lastPress = await rig.fake.pressButton(try #require(home.button("\u{21BB} Refresh")), by: alice, messageID: menuID)
        _ = await rig.fake.waitForCalls("answerCallbackQuery", count: 5)
        #expect(await rig.broker.requests.filter { $0.endpoint == "funds" }.count == 4)  // link, menu, two refreshes
        var settled = false
        for _ in 0..<100 where !settled {
            settled = await rig.harness.bot.isSettled(through: lastPress)
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(settled)  // the identical edit counted as delivered, nothing left queued
        #expect(await rig.fake.sent("editMessageText").count == 5)  // the fifth was refused as not modified, and not retried
        #expect(await rig.fake.sent("sendMessage").count == 2)  // the link reply and the menu: nothing else
        await rig.close()
    }

    @Test func aBrokerFailureInTheMenuShowsTheErrorWithRetryAndBack() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let menu = try #require(await rig.ask("/menu", from: alice).first)
        let menuID = await rig.fake.lastMessageID
        await rig.broker.inject(.status(403, message: "Invalid openalgo apikey"), for: "holdings")
        await rig.fake.pressButton(try #require(menu.button("Holdings")), by: alice, messageID: menuID)
        let edit = try #require(await rig.fake.waitForCalls("editMessageText", count: 1).last)
        #expect(edit.visibleText?.contains("rejected the API key of account main; /link it again.") == true)
        #expect(edit.buttons.map(\.text) == ["\u{21BB} Retry", "\u{00AB} Back"])
        let toast = await rig.fake.waitForCalls("answerCallbackQuery", count: 1).last?.parameters["text"] as? String
        #expect(toast?.hasPrefix("Failed (error ") == true)
        await rig.close()
    }
}
