import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A confirmed order action (cancel, modify, cancel all, close all, mode) across a crash: the press that committed the
/// confirmation may die before the broker call, and its replay after the restart must still do it, once.
@Suite struct OrderActionRestartTests {
    func restingOrder(_ rig: OrderDeskFixture) async throws -> String {
        let placed = try await rig.client.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10,
                                                                  priceType: .limit, price: 1400, product: .cnc))
        return try #require(placed.orderID)
    }

    @Test func aCancelConfirmedJustBeforeACrashIsDoneOnceByTheReplayedPress() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try await restingOrder(rig)
        let confirmation = try #require(try await rig.desk.proposeCancel(orderID: id, userID: OrderDeskFixture.user,
                                                                         chatID: OrderDeskFixture.user).confirmationID)
        // The press's transaction committed, then the process died before the broker call.
        let committed = try await rig.store.confirmOrder(id: confirmation, by: OrderDeskFixture.user, account: "main", host: rig.fake.host,
                                                         receivedAt: rig.clock.now, clientID: "", now: rig.clock.now)
        guard case .confirmedAction = committed else { Issue.record("not confirmed: \(committed)"); return }
        // The replayed update reaches the bot again with its first arrival time.
        let replay = try await rig.desk.confirm(confirmation, userID: OrderDeskFixture.user, receivedAt: rig.clock.now, logger: rig.logger)
        #expect(replay.sent && replay.html?.contains("<b>Cancelled</b> order <code>\(id)</code>") == true)
        #expect(await rig.fake.orderStatus(id) == "cancelled")
        let again = try await rig.confirm(confirmation)
        #expect(!again.sent && again.toast.hasPrefix("Already confirmed"))
        #expect(await rig.fake.calls("cancelorder") == 1)
        await rig.close()
    }

    @Test func anActionWhoseCallMayHaveGoneOutIsNeverSentAgainByAReplay() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try await restingOrder(rig)
        let confirmation = try #require(try await rig.desk.proposeCancel(orderID: id, userID: OrderDeskFixture.user,
                                                                         chatID: OrderDeskFixture.user).confirmationID)
        _ = try await rig.store.confirmOrder(id: confirmation, by: OrderDeskFixture.user, account: "main", host: rig.fake.host,
                                             receivedAt: rig.clock.now, clientID: "", now: rig.clock.now)
        // Claimed for sending, and the call went out; then the process died before it recorded the answer.
        #expect(try await rig.store.startAction(id: confirmation))
        #expect(try await !rig.store.startAction(id: confirmation))
        _ = try await rig.client.cancelOrder(id: id)
        let replay = try await rig.desk.confirm(confirmation, userID: OrderDeskFixture.user, receivedAt: rig.clock.now, logger: rig.logger)
        #expect(!replay.sent && replay.toast.contains("nothing was sent again"))
        #expect(await rig.fake.calls("cancelorder") == 1)
        await rig.close()
    }

    @Test func twoPressesOfOneConfirmationSendOneCall() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try await restingOrder(rig)
        let confirmation = try #require(try await rig.desk.proposeCancel(orderID: id, userID: OrderDeskFixture.user,
                                                                         chatID: OrderDeskFixture.user).confirmationID)
        async let first = rig.confirm(confirmation)
        async let second = rig.confirm(confirmation)
        let results = try await [first, second]
        #expect(results.filter(\.sent).count == 1)
        #expect(await rig.fake.calls("cancelorder") == 1)
        await rig.close()
    }
}
