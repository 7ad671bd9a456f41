import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The replayed Confirm press as a hostile broker and an unlucky kill would have it: a verdict that only its press's own
/// check told, and broker texts that carry the account's key into the verdict the confirmation keeps.
@Suite struct OrderReplayHostileTests {
    @Test func aPlacementFoundByItsPressesOwnCheckIsToldAgainByItsReplay() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        // Recorded by the fake, then no answer within the client's 3 s: the press's own check finds the order, claims it
        // and only then tells its id. A kill between that claim and the message lost it: the replay is all that is left.
        await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
        let first = try await rig.press(id, as: "cq-f")
        #expect(first.sent)
        let intent = try #require(try await rig.intents().first)
        let orderID = try #require(intent.brokerOrderID)
        #expect(intent.state == .placed)
        let requests = await rig.fake.requests.count
        let replay = try await rig.press(id, as: "cq-f")
        #expect(!replay.sent && replay.html?.contains("<b>Placed</b>: order <code>\(orderID)</code>") == true, "\(replay)")
        #expect(replay.html?.contains("Nothing was sent again") == true)
        // A double tap is another press: only the toast, as before.
        let tap = try await rig.press(id, as: "cq-other")
        #expect(tap.html == nil && tap.toast == "Already confirmed (placed); no second order was sent.")
        #expect(await rig.fake.calls("placeorder") == 1)
        #expect(await rig.fake.requests.count == requests, "the replay reached OpenAlgo")
        await rig.close()
    }

    @Test func aBrokerTextEchoingTheKeyIsRedactedInTheReplyTheKeptVerdictAndTheAudit() async throws {
        let rig = try await OrderDeskFixture.make()
        let proposal = try await rig.desk.proposeCloseAll(userID: OrderDeskFixture.user, chatID: OrderDeskFixture.user)
        let confirmation = try #require(proposal.confirmationID)
        // OpenAlgo errors are known to echo the request, key and all; a success message can do the same.
        await rig.fake.setReply("closeposition", body: #"{"status": "success", "message": "squared off for apikey=\#(BrokerRig.apiKey)"}"#)
        let first = try await rig.press(confirmation, as: "cq-k")
        let told = try #require(first.html)
        #expect(told.contains("<b>Close all sent</b>") && told.contains(KeyRedaction.mask), "\(told)")
        #expect(!told.contains(BrokerRig.apiKey))
        let kept = try SQLiteDatabase(path: rig.directory.file("pollbot.sqlite3")).query("SELECT outcome FROM order_confirmations WHERE id = ?",
                                                                            .text(confirmation)) { $0.text(0) }
        #expect(kept.count == 1 && !kept[0].contains(BrokerRig.apiKey) && kept[0].contains(KeyRedaction.mask), "\(kept)")
        let replay = try await rig.press(confirmation, as: "cq-k")
        #expect(replay.html == told)
        let audit = try await rig.store.orderAudit(since: .distantPast)
        #expect(!audit.contains { $0.reply.contains(BrokerRig.apiKey) }, "\(audit.map(\.reply))")
        await rig.close()
    }

    @Test func aModifyCheckedAfterAnUnknownOutcomeEscapesTheBrokersLineInTheVerdictItKeeps() async throws {
        let rig = try await OrderDeskFixture.make()
        let base = OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10, priceType: .limit, price: 1400, product: .cnc)
        let id = try #require(try await rig.client.placeOrder(base).orderID)
        let confirmation = try #require(try await rig.desk.proposeModify(orderID: id, price: 1410, quantity: nil,
                                                                         userID: OrderDeskFixture.user, chatID: 1).confirmationID)
        // No answer within the client's 3 s; the fresh read shows the change, with a symbol a hostile broker chose.
        await rig.fake.inject(.stall(.seconds(6)), for: "modifyorder")
        await rig.fake.setReply("orderstatus", body: #"{"status": "success", "data": {"symbol": "M&M<b>", "exchange": "NSE", "action": "BUY", "#
            + #""quantity": 10, "price": 1410, "trigger_price": 0, "pricetype": "LIMIT", "product": "CNC", "orderid": "\#(id)", "#
            + #""order_status": "open", "average_price": 0, "timestamp": "07-Nov-2025 10:15:00"}}"#)
        let first = try await rig.press(confirmation, as: "cq-m")
        let told = try #require(first.html)
        #expect(told.contains("The order now shows the change (BUY 10 M&amp;M&lt;b&gt; NSE"), "\(told)")
        #expect(!told.contains("M&M<b>"))
        #expect(try await rig.press(confirmation, as: "cq-m").html == told)
        await rig.close()
    }
}
