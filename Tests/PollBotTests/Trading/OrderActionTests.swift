import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /cancelorder, /modify, /cancelall and /closeall at the desk, on a real SQLite file and the fake OpenAlgo over libcurl:
/// each preview shows what it will touch, its Confirm sends exactly one broker call, a bulk action whose book changed
/// sends nothing, and expiry, a second press and a stranger's press send nothing.
@Suite struct OrderActionTests {
    /// A resting limit order on the fake, as OpenAlgo's own UI would place it; its id.
    func restingOrder(_ rig: OrderDeskFixture, quantity: Int = 10, price: Double = 1400) async throws -> String {
        let placed = try await rig.client.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: quantity,
                                                                  priceType: .limit, price: price, product: .cnc))
        return try #require(placed.orderID)
    }

    @Test func cancelPreviewConfirmCancelsOnceAndASecondPressSendsNothing() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try await restingOrder(rig)
        let proposal = try await rig.desk.proposeCancel(orderID: id, userID: OrderDeskFixture.user, chatID: OrderDeskFixture.user)
        #expect(proposal.html.contains("Cancel order preview") && proposal.html.contains("BUY 10 RELIANCE NSE, LIMIT 1,400.00, CNC #\(id) (open)"))
        let confirmation = try #require(proposal.confirmationID)
        let first = try await rig.confirm(confirmation)
        #expect(first.sent && first.html?.contains("<b>Cancelled</b> order <code>\(id)</code>") == true)
        let again = try await rig.confirm(confirmation)
        #expect(!again.sent && again.toast == "Already confirmed; nothing was sent again.")
        #expect(await rig.fake.calls("cancelorder") == 1)
        #expect(await rig.fake.orderStatus(id) == "cancelled")
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["preview", "confirm", "result", "refused press"])
        await rig.close()
    }

    @Test func anExpiredPressAndAStrangersPressCancelNothing() async throws {
        let rig = try await OrderDeskFixture.make(trading: "users = [\(OrderDeskFixture.user), 77]\nconfirm_seconds = 30")
        let id = try await restingOrder(rig)
        let confirmation = try #require(try await rig.desk.proposeCancel(orderID: id, userID: OrderDeskFixture.user,
                                                                         chatID: OrderDeskFixture.user).confirmationID)
        #expect(try await rig.confirm(confirmation, by: 77).toast == "This button is not for you.")
        let late = try await rig.confirm(confirmation, after: 31)
        #expect(!late.sent && late.toast == "This confirmation expired; send /cancelorder again.")
        #expect(await rig.fake.calls("cancelorder") == 0)
        #expect(await rig.fake.orderStatus(id) == "open")
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["preview", "refused press", "expired"])
        await rig.close()
    }

    @Test func anOrderNotInTheActiveBookOrNotOpenIsRefusedAtPreview() async throws {
        let rig = try await OrderDeskFixture.make()
        await #expect { try await rig.desk.proposeCancel(orderID: "999999", userID: OrderDeskFixture.user, chatID: 1) } throws: {
            ($0 as? UserError)?.html.contains("is not in the order book of your active account <b>main</b>") == true
        }
        let done = try #require(try await rig.client.placeOrder(OrderRequest(symbol: "SBIN", exchange: "NSE", action: .buy, quantity: 1,
                                                                             priceType: .market, product: .cnc)).orderID)
        await #expect { try await rig.desk.proposeModify(orderID: done, price: 800, quantity: nil, userID: OrderDeskFixture.user, chatID: 1) } throws: {
            ($0 as? UserError)?.html.contains("is complete, not open") == true
        }
        #expect(try await rig.store.confirmationCount() == 0)
        await rig.close()
    }

    @Test func modifyShowsBeforeAndAfterAndChangesTheOrderOnce() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try await restingOrder(rig)
        let proposal = try await rig.desk.proposeModify(orderID: id, price: 1410, quantity: 20, userID: OrderDeskFixture.user, chatID: 1)
        #expect(proposal.html.contains("Now: <code>BUY 10 RELIANCE") && proposal.html.contains("After: <code>BUY 20 RELIANCE NSE, LIMIT 1,410.00, CNC"))
        #expect(!proposal.html.contains("max_orders_per_day"))
        let result = try await rig.confirm(try #require(proposal.confirmationID))
        #expect(result.html?.contains("<b>Modified</b>") == true)
        #expect(try await rig.confirm(try #require(proposal.confirmationID)).sent == false)
        #expect(await rig.fake.calls("modifyorder") == 1)
        let order = try #require(try await rig.client.orderBook().orders.first { $0.orderID == id })
        #expect(order.quantity == 20 && order.price == 1410)
        await rig.close()
    }

    @Test func aModifyOutsideThePriceBandIsBlockedWithoutAButton() async throws {
        let rig = try await OrderDeskFixture.make(trading: "price_band_percent = 5")
        let id = try await restingOrder(rig)
        let proposal = try await rig.desk.proposeModify(orderID: id, price: 2000, quantity: nil, userID: OrderDeskFixture.user, chatID: 1)
        #expect(proposal.confirmationID == nil && proposal.keyboard == nil)
        #expect(proposal.html.contains("\u{2717} price_band_percent") && proposal.html.contains("<b>Blocked</b>"))
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["blocked"])
        await rig.close()
    }

    @Test func cancelAllListsExactlyTheOpenOrdersAndSendsOneCall() async throws {
        let rig = try await OrderDeskFixture.make()
        let mine = [try await restingOrder(rig), try await restingOrder(rig, quantity: 5)]
        let open = OrderDesk.openOrders(try await rig.client.orderBook())
        let proposal = try await rig.desk.proposeCancelAll(userID: OrderDeskFixture.user, chatID: 1)
        #expect(proposal.html.contains("These \(open.count) open orders will be cancelled"))
        for order in open { #expect(proposal.html.contains("#\(order.orderID) (")) }
        let html = proposal.html.split(separator: "\n").filter { $0.hasPrefix("<code>") }
        #expect(html.count == open.count)
        let result = try await rig.confirm(try #require(proposal.confirmationID))
        #expect(result.html?.contains("<b>Cancelled</b> 2 of \(open.count) orders") == true)
        #expect(await rig.fake.calls("cancelallorder") == 1)
        for id in mine { #expect(await rig.fake.orderStatus(id) == "cancelled") }
        await rig.close()
    }

    @Test func cancelAllSendsNothingWhenTheBookChangedSinceThePreview() async throws {
        let rig = try await OrderDeskFixture.make()
        _ = try await restingOrder(rig)
        let confirmation = try #require(try await rig.desk.proposeCancelAll(userID: OrderDeskFixture.user, chatID: 1).confirmationID)
        let late = try await restingOrder(rig, quantity: 3)
        let result = try await rig.confirm(confirmation)
        #expect(result.html?.contains("The open orders changed since the preview") == true && result.html?.contains("nothing was sent") == true)
        #expect(await rig.fake.calls("cancelallorder") == 0)
        #expect(await rig.fake.orderStatus(late) == "open")
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["preview", "confirm", "changed"])
        await rig.close()
    }

    @Test func closeAllPreviewsExactlyTheOpenPositionsAndClosesThemOnce() async throws {
        let rig = try await OrderDeskFixture.make()
        let proposal = try await rig.desk.proposeCloseAll(userID: OrderDeskFixture.user, chatID: 1)
        let listed = proposal.html.split(separator: "\n").filter { $0.hasPrefix("<code>") }
        #expect(listed.count == 4)
        for expected in ["LONG 50 RELIANCE NSE, MIS", "SHORT 100 SBIN NSE, MIS", "LONG 75 NIFTY25NOV24500CE NFO, NRML", "LONG 5 M&amp;M NSE, CNC"] {
            #expect(proposal.html.contains(expected), "\(expected) missing from \(proposal.html)")
        }
        #expect(!proposal.html.contains("TCS") && !proposal.html.contains("INFY"))
        let result = try await rig.confirm(try #require(proposal.confirmationID))
        #expect(result.html?.contains("<b>Close all sent</b> for 4 positions") == true && result.html?.contains("No open positions remain") == true)
        #expect(try await rig.confirm(try #require(proposal.confirmationID)).sent == false)
        #expect(await rig.fake.closeCalls == 1)
        let empty = try await rig.desk.proposeCloseAll(userID: OrderDeskFixture.user, chatID: 1)
        #expect(empty.html.contains("No open positions: nothing to close.") && empty.keyboard == nil && empty.confirmationID == nil)
        await rig.close()
    }

    @Test func closeAllSendsNothingWhenThePositionsChangedSinceThePreview() async throws {
        let rig = try await OrderDeskFixture.make()
        let confirmation = try #require(try await rig.desk.proposeCloseAll(userID: OrderDeskFixture.user, chatID: 1).confirmationID)
        await rig.fake.setPositions([("RELIANCE", "NSE", "MIS", 60, 1420)])
        let result = try await rig.confirm(confirmation)
        #expect(result.html?.contains("The open positions changed since the preview (4 then, 1 now)") == true)
        #expect(await rig.fake.calls("closeposition") == 0)
        await rig.close()
    }

    @Test func theGateRefusesEveryActionWhereTradingIsOff() async throws {
        let rig = try await OrderDeskFixture.make(trading: "enabled = false")
        let proposals = [try await rig.desk.proposeCancel(orderID: "1", userID: OrderDeskFixture.user, chatID: 1),
                         try await rig.desk.proposeCancelAll(userID: OrderDeskFixture.user, chatID: 1),
                         try await rig.desk.proposeCloseAll(userID: OrderDeskFixture.user, chatID: 1),
                         try await rig.desk.proposeLiveMode(userID: OrderDeskFixture.user, chatID: 1)]
        #expect(proposals.allSatisfy { $0.html == TradingGate.off && $0.keyboard == nil })
        let reads = await rig.fake.calls("orderbook") + rig.fake.calls("positionbook")
        #expect(reads == 0)
        await rig.close()
    }
}
