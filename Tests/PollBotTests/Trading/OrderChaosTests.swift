import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Many confirmations under injected timeouts, failures, double taps and crashes with restarts: the orders OpenAlgo
/// holds are exactly the orders the bot counts as placed, and nothing is left unresolved.
@Suite struct OrderChaosTests {
    enum Step: CaseIterable { case clean, stallAfterAccept, failBefore, doubleTap, crashAfterSend, crashBeforeSend }

    @Test func ordersPlacedEqualOrdersConfirmed() async throws {
        var rig = try await OrderDeskFixture.make(trading: "max_orders_per_day = 1000")
        let steps: [Step] = [.clean, .stallAfterAccept, .doubleTap, .crashAfterSend, .failBefore, .clean, .crashBeforeSend,
                             .stallAfterAccept, .doubleTap, .crashAfterSend, .clean, .failBefore]
        var crashed = 0
        for (index, step) in steps.enumerated() {
            // Distinct quantities keep each order's match unique, as distinct orders are in real use.
            let id = try #require(try await rig.propose(OrderDeskFixture.draft(index + 1)).id)
            switch step {
            case .clean:
                _ = try await rig.confirm(id)
            case .stallAfterAccept:
                await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
                _ = try await rig.confirm(id)
            case .failBefore:
                await rig.fake.injectOrderFault(.failBeforeRecording)
                _ = try await rig.confirm(id)
            case .doubleTap:
                let current = rig
                async let first = current.confirm(id)
                async let second = current.confirm(id)
                _ = try await (first, second)
            case .crashAfterSend, .crashBeforeSend:
                // The process dies between the intent's commit and the reply: after the call, or before it.
                guard case .confirmed(let intent) = try await rig.store.confirmOrder(
                    id: id, by: OrderDeskFixture.user, account: "main", receivedAt: rig.clock.now, clientID: "pb-crash\(index)", now: rig.clock.now)
                else { Issue.record("not confirmed"); return }
                if step == .crashAfterSend {
                    try await rig.store.setBaseline([], of: intent.clientID, now: rig.clock.now)
                    _ = try await rig.client.placeOrder(intent.request)
                }
                crashed += 1
                rig = try await OrderDeskFixture.make(trading: "max_orders_per_day = 1000", fake: rig.fake, directory: rig.directory)
                #expect(await rig.desk.reconcileUnresolved(logger: rig.logger).count == 1)
            }
        }
        let intents = try await rig.intents()
        #expect(crashed == 3)
        #expect(intents.count == steps.count, "one intent per confirmation, double taps included")
        #expect(intents.allSatisfy { !$0.state.isUnresolved })
        let placed = intents.filter { $0.state == .placed }
        #expect(placed.count == steps.filter { ![.failBefore, .crashBeforeSend].contains($0) }.count)
        #expect(await rig.fake.placedOrderCount == placed.count)
        #expect(Set(placed.compactMap(\.brokerOrderID)).count == placed.count)
        await rig.close()
    }
}
