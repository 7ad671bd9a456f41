import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A modify confirmed after the order changed elsewhere (OpenAlgo's UI, another device, a fill): the request was built
/// from the preview's book, so sending it would silently undo the other change; nothing is sent.
@Suite struct OrderModifyRaceTests {
    @Test func aModifyWhoseOrderChangedSinceThePreviewSendsNothing() async throws {
        let rig = try await OrderDeskFixture.make()
        let base = OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10, priceType: .limit, price: 1400, product: .cnc)
        let id = try #require(try await rig.client.placeOrder(base).orderID)
        let confirmation = try #require(try await rig.desk.proposeModify(orderID: id, price: 1410, quantity: nil,
                                                                         userID: OrderDeskFixture.user, chatID: 1).confirmationID)
        // Meanwhile the trader raised the quantity to 50 in OpenAlgo's own UI.
        var bigger = base
        bigger.quantity = 50
        _ = try await rig.client.modifyOrder(id: id, to: bigger)
        let result = try await rig.confirm(confirmation)
        #expect(result.html?.contains("changed since the preview") == true && result.html?.contains("nothing was sent") == true)
        #expect(await rig.fake.calls("modifyorder") == 1)
        let order = try #require(try await rig.client.orderBook().orders.first { $0.orderID == id })
        #expect(order.quantity == 50 && order.price == 1400)
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event).last == "changed")
        await rig.close()
    }

    @Test func aModifyWhoseOrderFilledMeanwhileSendsNothing() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.client.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10,
                                                                           priceType: .limit, price: 1400, product: .cnc)).orderID)
        let confirmation = try #require(try await rig.desk.proposeModify(orderID: id, price: 1410, quantity: nil,
                                                                         userID: OrderDeskFixture.user, chatID: 1).confirmationID)
        await rig.fake.setOrderStatus(id, "complete")
        let result = try await rig.confirm(confirmation)
        #expect(result.html?.contains("changed since the preview") == true)
        #expect(await rig.fake.calls("modifyorder") == 0)
        await rig.close()
    }
}
