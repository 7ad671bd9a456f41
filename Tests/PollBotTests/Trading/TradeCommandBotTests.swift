import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /buy through the whole bot: the preview's Confirm button places one order on the fake OpenAlgo or the paper broker,
/// a stranger's press and an edited message place none, and the gate answers where trading is off.
@Suite struct TradeCommandBotTests {
    let alice = FakeUser(id: 6101, firstName: "Alice")
    let mallory = FakeUser(id: 6102, firstName: "Mallory")

    func trading(_ users: [FakeUser]) -> String {
        "[trading]\nenabled = true\nusers = [\(users.map { String($0.id) }.joined(separator: ", "))]\nmarket_hours_only = false"
    }

    @Test func buyPreviewConfirmPlacesOneOrderOnTheFake() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id), \(mallory.id)]", sections: trading([alice]))
        await rig.link(alice)
        let preview = try #require(await rig.ask("/buy 10 RELIANCE", from: alice).last)
        #expect(preview.visibleText?.contains("Order preview") == true)
        #expect(preview.buttons.map(\.text) == ["\u{2705} Confirm", "\u{2716} Cancel"])
        let confirm = try #require(preview.button("\u{2705} Confirm"))
        let previewID = await rig.fake.lastMessageID
        // A stranger pressing the owner's button (forwarded data) is refused by the router.
        await rig.fake.pressButton(confirm, by: mallory)
        let refused = await rig.fake.waitForCalls("answerCallbackQuery", count: 1)
        #expect(refused.last?.parameters["text"] as? String == "This button is not for you.")
        // An edited /buy runs nothing, so it cannot place or confirm anything.
        await rig.fake.sendText("/buy 10 RELIANCE", from: alice, edited: true)
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.pressButton(confirm, by: alice, messageID: previewID)
        let outcome = await rig.fake.waitUntil(timeout: .seconds(15)) { calls in
            calls.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains("Status: complete") == true }
        }
        #expect(outcome.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains("Placed: order") == true })
        #expect(outcome.contains { $0.method == "editMessageText" && $0.buttons.isEmpty })
        await rig.fake.pressButton(confirm, by: alice, messageID: previewID)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 3)
        #expect((answers.last?.parameters["text"] as? String)?.hasPrefix("Already confirmed") == true)
        #expect(await rig.broker.placedOrderCount == 1)
        #expect(await rig.broker.calls("placeorder") == 1)
        await rig.close()
    }

    @Test func whereTradingIsOffOrTheUserIsNotListedBuySaysSo() async throws {
        let off = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]")
        #expect(await off.ask("/buy 10 RELIANCE", from: alice).first?.visibleText == TradingGate.off)
        #expect(await off.ask("buy 10 INFY at 1500", from: alice).first?.visibleText == TradingGate.off)
        await off.close()
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id), \(mallory.id)]", sections: trading([alice]))
        #expect(await rig.ask("/sell 10 RELIANCE", from: mallory).first?.visibleText == TradingGate.notAllowed)
        #expect(await rig.broker.calls("placeorder") == 0)
        await rig.close()
    }

    @Test func anFAndOQuantityMustBeWholeLotsAndAnUnknownLotIsRefused() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]", sections: trading([alice]))
        await rig.link(alice)
        let reply = await rig.ask("/buy 7 NOSUCH25DEC100CE NFO", from: alice).first?.visibleText
        #expect(reply?.contains("I cannot find the lot size of NOSUCH25DEC100CE on NFO, so I will not guess it") == true)
        // The lot size comes from the broker's own option chain.
        let option = "RELIANCE29DEC261420CE"
        let partial = await rig.ask("/buy 250 \(option) NFO", from: alice).first?.visibleText
        #expect(partial?.contains("250 is not a whole number of lots: \(option) trades in lots of \(FakeOpenAlgoOptions.lotSize)") == true)
        let preview = await rig.ask("/buy 1000 \(option) NFO @20", from: alice).first?.visibleText
        #expect(preview?.contains("BUY 1000 (2 lots) \(option) NFO, LIMIT 20.00, NRML") == true, "\(preview ?? "")")
        #expect(preview?.contains("Lots: 2 of \(FakeOpenAlgoOptions.lotSize)") == true)
        #expect(await rig.broker.calls("placeorder") == 0)
        await rig.close()
    }

    @Test func paperBrokerBuyEndToEnd() async throws {
        let harness = try await BotHarness.start(extra: "allowed_users = [\(alice.id)]\n[broker]\nkind = \"paper\"\n" + trading([alice]))
        let before = await harness.fake.sent("sendMessage").count
        await harness.fake.sendText("/buy 10 RELIANCE", from: alice)
        let previews = await harness.fake.waitForCalls("sendMessage", count: before + 1)
        let preview = try #require(previews.last)
        #expect(preview.visibleText?.contains("DEMO") == true)
        let confirm = try #require(preview.button("\u{2705} Confirm"), "\(preview.visibleText ?? "")")
        await harness.fake.pressButton(confirm, by: alice, messageID: await harness.fake.lastMessageID)
        let outcome = await harness.fake.waitUntil(timeout: .seconds(15)) { calls in
            calls.contains { $0.method == "sendMessage" && $0.visibleText?.contains("Status: complete") == true }
        }
        #expect(outcome.contains { $0.visibleText?.contains("Placed: order") == true })
        await harness.fake.sendText("/positions", from: alice)
        let positions = await harness.fake.waitUntil(timeout: .seconds(10)) { calls in
            calls.contains { $0.method == "sendMessage" && $0.visibleText?.contains("Positions") == true && $0.visibleText?.contains("RELIANCE") == true }
        }
        #expect(positions.contains { $0.visibleText?.contains("RELIANCE") == true })
        await harness.shutdown()
    }
}
