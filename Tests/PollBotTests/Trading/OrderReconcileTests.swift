import BotKit
import Foundation
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// Exactly once when OpenAlgo does not confirm: the order book decides, nothing is re-sent, and a restart settles
/// what a crash left open before anything else.
@Suite struct OrderReconcileTests {
    @Test func aTimeoutAfterTheBrokerAcceptedReconcilesToItsRealOrderID() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        // Recorded by the fake, then no answer within the client's 3 s.
        await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
        let result = try await rig.confirm(id)
        // "checking…" is shown at once, before the seconds the order book takes; the found order id as soon as it is
        // claimed, and the reply adds its status.
        #expect(rig.progress.all.count == 2 && rig.progress.all[0].hasSuffix("OpenAlgo did not confirm; checking\u{2026}"))
        #expect(rig.progress.all.last?.contains("<b>Placed</b>: OpenAlgo has it as order") == true)
        #expect(result.html?.contains("Status: <b>complete</b>") == true)
        let real = try await rig.client.orderBook().orders.filter { $0.orderID.hasPrefix("25110700") }.map(\.orderID)
        #expect(real.count == 1)
        #expect(try await rig.intents().map(\.brokerOrderID) == [real.first])
        #expect(try await rig.intents().map(\.state) == [.placed])
        #expect(await rig.fake.placedOrderCount == 1)
        #expect(await rig.fake.calls("placeorder") == 1)
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event).contains("unknown"))
        await rig.close()
    }

    @Test func aFailureBeforeTheBrokerRecordedAnythingEndsFailedWithNothingPlaced() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        await rig.fake.injectOrderFault(.failBeforeRecording)
        let result = try await rig.confirm(id)
        #expect(rig.progress.all.count == 1 && rig.progress.all[0].hasSuffix("OpenAlgo did not confirm; checking\u{2026}"))
        #expect(result.html?.contains("Nothing was placed") == true)
        #expect(try await rig.intents().map(\.state) == [.failed])
        #expect(await rig.fake.placedOrderCount == 0)
        #expect(await rig.fake.calls("placeorder") == 1)
        // Three book reads over the grace period, none of them a resend.
        #expect(await rig.fake.calls("orderbook") == 1 + 3)
        await rig.close()
    }

    @Test func twoMatchingOrdersAreAmbiguousAndNothingIsResent() async throws {
        // While the bot checks, someone places the same order by hand in OpenAlgo: two candidates.
        let manual = Mutex<(@Sendable () async -> Void)?>(nil)
        let rig = try await OrderDeskFixture.make(pause: { _ in
            if let place = manual.withLock({ hook in defer { hook = nil }; return hook }) { await place() }
        })
        let client = rig.client
        manual.withLock {
            $0 = { _ = try? await client.placeOrder(OrderRequest(OrderDeskFixture.draft(), strategy: "manual")) }
        }
        let id = try #require(try await rig.propose().id)
        await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
        let result = try await rig.confirm(id)
        #expect(result.html?.contains("I cannot tell which order is this one: 2 matching orders") == true)
        #expect(try await rig.intents().map(\.state) == [.ambiguous])
        #expect(await rig.fake.placedOrderCount == 2)
        #expect(await rig.fake.calls("placeorder") == 2)
        await rig.close()
    }

    @Test func aRestartSettlesIntentsLeftSendingBeforeAnythingElse() async throws {
        let first = try await OrderDeskFixture.make()
        // A crash right after the order went out (pb-crashed), another before it was sent (pb-unsent).
        let placedID = try await first.leaveOpenIntents(sent: "pb-crashed", unsent: "pb-unsent")

        let restarted = try await OrderDeskFixture.make(fake: first.fake, directory: first.directory)
        let notices = await restarted.desk.reconcileUnresolved(logger: restarted.logger)
        #expect(notices.count == 2)
        let byID = Dictionary(uniqueKeysWithValues: try await restarted.intents().map { ($0.clientID, $0) })
        #expect(byID["pb-crashed"]?.state == .placed && byID["pb-crashed"]?.brokerOrderID == placedID)
        #expect(byID["pb-unsent"]?.state == .failed)
        #expect(await restarted.fake.placedOrderCount == 1)
        #expect(await restarted.fake.calls("placeorder") == 1)
        #expect(try await restarted.store.unresolvedIntents().isEmpty)
        // Once settled, a second start has nothing to say.
        #expect(await restarted.desk.reconcileUnresolved(logger: restarted.logger).isEmpty)
        await restarted.close()
    }

    @Test func anUnreadableBookLeavesTheIntentOpenForTheNextStart() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        _ = try await rig.store.confirmOrder(id: id, by: OrderDeskFixture.user, account: "main", receivedAt: rig.clock.now,
                                             clientID: "pb-open", now: rig.clock.now)
        try await rig.store.setBaseline([], of: "pb-open", now: rig.clock.now)
        await rig.fake.stop()
        let notices = await rig.desk.reconcileUnresolved(logger: rig.logger)
        #expect(notices.count == 1)
        #expect(try await rig.store.unresolvedIntents().map(\.clientID) == ["pb-open"])
        rig.directory.remove()
    }
}
