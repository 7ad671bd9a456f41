import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The order actions' commands: hostile arguments get a short usage reply, the /orderbook Cancel button fits Telegram's
/// 64 bytes and leads to the cancel preview (never straight to a cancel), and the paper broker is cancelled and closed.
@Suite struct OrderActionCommandTests {
    let alice = FakeUser(id: 6201, firstName: "Alice")
    let mallory = FakeUser(id: 6202, firstName: "Mallory")

    func trading(_ users: [FakeUser]) -> String {
        "[trading]\nenabled = true\nusers = [\(users.map { String($0.id) }.joined(separator: ", "))]\nmarket_hours_only = false"
    }

    @Test(arguments: ["", "<b>x</b>", String(repeating: "9", count: 65), "12;34", "id\u{7}"])
    func hostileOrderIDsAreRefused(_ text: String) throws {
        var scanner = ArgumentScanner(text, usage: CancelOrderCommand.usage)
        #expect { _ = try CancelOrderCommand(arguments: &scanner) } throws: { ($0 as? UserError)?.html.contains("Usage:") == true }
    }

    @Test(arguments: ["123", "123 @nan", "123 @inf", "123 @1e308", "123 @-5", "123 @0", "123 0", "123 abc", "123 1.5", "123 @10 @11",
                      "123 5 6", "123 9999999999", "123 @" + String(repeating: "1", count: 30)])
    func hostileModifyArgumentsAreRefused(_ text: String) throws {
        var scanner = ArgumentScanner(text, usage: ModifyCommand.usage)
        #expect { _ = try ModifyCommand(arguments: &scanner) } throws: { ($0 as? UserError)?.html.contains("Usage:") == true }
    }

    @Test func modifyReadsAPriceAQuantityOrBoth() throws {
        var scanner = ArgumentScanner("2511 @1499.5 20", usage: ModifyCommand.usage)
        let both = try ModifyCommand(arguments: &scanner)
        #expect(both.orderID == "2511" && both.price == 1499.5 && both.quantity == 20)
        var onlyQuantity = ArgumentScanner("A-1:2 7", usage: ModifyCommand.usage)
        let quantity = try ModifyCommand(arguments: &onlyQuantity)
        #expect(quantity.price == nil && quantity.quantity == 7 && quantity.orderID == "A-1:2")
    }

    @Test func theCancelButtonOfAFortyCharacterIDFitsSixtyFourBytes() throws {
        let id = String(repeating: "7", count: 40)
        let order = Order(action: "BUY", symbol: "RELIANCE", exchange: "NSE", orderID: id, product: "CNC", quantity: 1, price: 1, priceType: "LIMIT",
                          status: "open", timestamp: "")
        let button = try #require(OrderBookCancelButton.button(for: order, owner: 7_123_456_789))
        #expect(button.callbackData.utf8.count <= 64)
        #expect(CallbackData(button.callbackData) == CallbackData(owner: 7_123_456_789, action: "oc:\(id)"))
        let tooLong = Order(action: "BUY", symbol: "X", exchange: "NSE", orderID: String(repeating: "7", count: 64), product: "CNC",
                            quantity: 1, price: 1, priceType: "LIMIT", status: "open", timestamp: "")
        #expect(OrderBookCancelButton.button(for: tooLong, owner: 7_123_456_789) == nil)
    }

    @Test func theOrderBookCancelButtonLeadsToThePreviewAndItsConfirmCancelsOnce() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id), \(mallory.id)]", sections: trading([alice]))
        await rig.link(alice)
        await rig.link(mallory)
        let client = OpenAlgoClient(host: rig.broker.host, apiKey: BrokerRig.apiKey, timeout: .seconds(5))
        let id = try #require(try await client.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10,
                                                                       priceType: .limit, price: 1400, product: .cnc)).orderID)
        // Mallory reads the book but may not trade: no buttons for her.
        #expect(await rig.ask("/orderbook", from: mallory).allSatisfy { $0.buttons.isEmpty })
        await rig.fake.sendText("/orderbook", from: alice)
        // The book runs over several messages; the buttons come with the last.
        let book = await rig.fake.waitUntil(timeout: .seconds(10)) { calls in
            calls.contains { $0.method == "sendMessage" && $0.buttons.contains { $0.text.contains("#\(id.suffix(8))") } }
        }
        let cancel = try #require(book.flatMap(\.buttons).first { $0.text.contains("#\(id.suffix(8))") })
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.pressButton(cancel.data, by: alice)
        let previews = await rig.fake.waitUntil(timeout: .seconds(10)) { calls in
            calls.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains("Cancel order preview") == true }
        }
        #expect(await rig.broker.calls("cancelorder") == 0)
        let preview = try #require(previews.filter { $0.method == "sendMessage" }.last)
        let confirm = try #require(preview.button("\u{2705} Confirm"))
        await rig.fake.pressButton(confirm, by: alice, messageID: await rig.fake.lastMessageID)
        let outcome = await rig.fake.waitUntil(timeout: .seconds(10)) { calls in
            calls.contains { $0.method == "sendMessage" && $0.visibleText?.contains("Cancelled order \(id)") == true }
        }
        #expect(outcome.contains { $0.visibleText?.contains("Cancelled order") == true })
        #expect(await rig.broker.calls("cancelorder") == 1)
        #expect(await rig.broker.orderStatus(id) == "cancelled")
        await rig.close()
    }

    @Test func closeAllOnThePaperBrokerClosesTheBoughtPosition() async throws {
        let harness = try await BotHarness.start(extra: "allowed_users = [\(alice.id)]\n[broker]\nkind = \"paper\"\n" + trading([alice]))
        func ask(_ text: String) async -> SentCall? {
            let before = await harness.fake.sent("sendMessage").count
            await harness.fake.sendText(text, from: alice)
            return await harness.fake.waitForCalls("sendMessage", count: before + 1).last
        }
        func press(_ call: SentCall?, until marker: String) async throws {
            let confirm = try #require(call?.button("\u{2705} Confirm"), "\(call?.visibleText ?? "")")
            await harness.fake.pressButton(confirm, by: alice, messageID: await harness.fake.lastMessageID)
            let done = await harness.fake.waitUntil(timeout: .seconds(15)) { calls in
                calls.contains { $0.method == "sendMessage" && $0.visibleText?.contains(marker) == true }
            }
            #expect(done.contains { $0.visibleText?.contains(marker) == true })
        }
        try await press(await ask("/buy 10 RELIANCE"), until: "Status: complete")
        let preview = await ask("/closeall")
        // The paper account starts with two positions of its own; all three are listed.
        #expect(preview?.visibleText?.contains("These 3 open positions will be closed") == true, "\(preview?.visibleText ?? "")")
        #expect(preview?.visibleText?.contains("LONG 10 RELIANCE NSE, CNC") == true)
        try await press(preview, until: "No open positions remain")
        #expect(await ask("/closeall")?.visibleText?.contains("No open positions: nothing to close.") == true)
        await harness.shutdown()
    }

    @Test func cancelOnThePaperBrokerCancelsTheRestingOrder() async throws {
        let rig = try await OrderDeskFixture.make(broker: "kind = \"paper\"")
        let session = try await rig.desk.hub.session(userID: OrderDeskFixture.user)
        let ltp = try await session.broker.quote(Instrument("RELIANCE", "NSE")).ltp
        let placed = try await session.broker.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 2,
                                                                      priceType: .limit, price: (ltp * 0.97).rounded(), product: .cnc))
        let id = try #require(placed.orderID)
        let proposal = try await rig.desk.proposeCancel(orderID: id, userID: OrderDeskFixture.user, chatID: 1)
        #expect(proposal.html.contains("DEMO"))
        let result = try await rig.confirm(try #require(proposal.confirmationID))
        #expect(result.html?.contains("<b>Cancelled</b>") == true)
        #expect(try await session.broker.orderStatus(id: id).order.status.lowercased() == "cancelled")
        await rig.close()
    }
}

/// What a hostile broker's order book can put under /orderbook.
@Suite struct OrderBookCancelButtonHostileTests {
    static func order(id: String, symbol: String = "INFY") -> Order {
        Order(action: "BUY", symbol: symbol, exchange: "NSE", orderID: id, product: "CNC", quantity: 1, price: 1, priceType: "LIMIT",
              status: "open", triggerPrice: 0, timestamp: "")
    }

    @Test func anIDWithInvisibleOrReversingCharactersGetsNoButtonAndLabelsCarryNone() throws {
        for id in ["2511\u{202E}0701", "2511\u{200B}0701", "2511\u{0007}0701", "", String(repeating: "9", count: 65)] {
            #expect(OrderBookCancelButton.button(for: Self.order(id: id), owner: 7) == nil, "\(id.debugDescription)")
        }
        let button = try #require(OrderBookCancelButton.button(for: Self.order(id: "251107000000001", symbol: "IN\u{202E}FY\u{0000}"), owner: 7))
        #expect(button.text == "\u{2716} Cancel BUY INFY #00000001")
    }
}
