import BotKit
import Foundation
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// The reconcile's grace period counts from the intent's creation: a bot restarted again and again must not wait out
/// the same seconds on every start before it handles anything (the full chaos soak stalled on exactly that: every
/// restart, killed 2 s later, began the 10 s of waits of the same four open intents again).
@Suite struct OrderReconcileGraceTests {
    static func intent(_ clientID: String, createdAt: Date) -> OrderIntent {
        OrderIntent(clientID: clientID, confirmationID: "c-\(clientID)", userID: OrderDeskFixture.user, chatID: OrderDeskFixture.user,
                    account: "main", draft: OrderDeskFixture.draft(), createdAt: createdAt, state: .unknown, baseline: [],
                    brokerOrderID: nil, message: "")
    }

    @Test func readsWhoseTimeHasPassedComeAtOnceAndNoneWaitsLongerThanItsStep() async throws {
        let rig = try await OrderDeskFixture.make()
        let waits = Mutex<[Duration]>([])
        let clock = rig.clock
        let timing = OrderTiming(now: { clock.now }, pause: { wait in waits.withLock { $0.append(wait) } },
                                 reconcileReads: [.zero, .seconds(4), .seconds(6)], statusPolls: [])
        let reconciler = OrderReconciler(store: rig.store, timing: timing)

        // Left open by a process killed a minute ago: three reads at once, still three looks at the book.
        let old = Self.intent("pb-old", createdAt: clock.now.addingTimeInterval(-60))
        #expect(await reconciler.reconcile(old, broker: rig.client) == .notPlaced)
        #expect(waits.withLock { $0 } == [.zero, .zero, .zero])
        #expect(await rig.fake.calls("orderbook") == 3)

        // Created a second ago: the second read 4 s after creation; the third 10 s after, 6 s on (the manual clock
        // stands still), never more than its own step.
        waits.withLock { $0 = [] }
        let fresh = Self.intent("pb-fresh", createdAt: clock.now.addingTimeInterval(-1))
        #expect(await reconciler.reconcile(fresh, broker: rig.client) == .notPlaced)
        #expect(waits.withLock { $0 } == [.zero, .seconds(3), .seconds(6)])

        // A clock set back (the intent seems to come from the future) stretches nothing.
        waits.withLock { $0 = [] }
        let future = Self.intent("pb-future", createdAt: clock.now.addingTimeInterval(3600))
        #expect(await reconciler.reconcile(future, broker: rig.client) == .notPlaced)
        #expect(waits.withLock { $0 } == [.zero, .seconds(4), .seconds(6)])
        await rig.close()
    }

    /// At startup each verdict is told as soon as it is recorded, not once every intent is done: the soak's restarts,
    /// killed half way through the open intents, had recorded verdicts whose notices were never queued, so those users
    /// never heard what became of their order.
    @Test func aStartTellsEachVerdictAsSoonAsItIsRecorded() async throws {
        let log = Mutex<[String]>([])
        let first = try await OrderDeskFixture.make()
        let placedID = try await first.leaveOpenIntents(sent: "pb-found", unsent: "pb-unsent")

        let restarted = try await OrderDeskFixture.make(fake: first.fake, directory: first.directory)
        let store = restarted.store
        let returned = await restarted.desk.reconcileUnresolved(logger: restarted.logger) { message in
            let text = String(decoding: message.payload, as: UTF8.self)
            // What is still open when each message is told: the intents checked after it.
            let open = ((try? await store.unresolvedIntents()) ?? []).map(\.clientID).sorted()
            let kind = text.contains("Placed") ? "placed" : text.contains("Nothing was placed") ? "failed" : text.contains("(order <code>") ? "status" : "?"
            log.withLock { $0.append(kind + " \(open)") }
        }
        #expect(returned.isEmpty, "told, not returned")
        let told = log.withLock { $0 }
        // The found order's id, then its status (OrderStartupCheckTests), then the other intent's verdict.
        #expect(told.count == 3 && told.first?.hasSuffix("[]") == false && told.last?.hasSuffix("[]") == true,
                "the first verdict is told while the other intent is still open: \(told)")
        #expect(told.map { $0.prefix(6) } == ["placed", "status", "failed"], "\(told)")
        #expect(try await restarted.intents().first { $0.clientID == "pb-found" }?.brokerOrderID == placedID)
        await restarted.close()
    }

    /// A press whose reconcile found the book unreadable (the breaker opened with the timeout) reads it again later
    /// instead of leaving the intent open until a restart: the full soak ended with ten such intents, their orders
    /// placed at the broker and the bot counting none of them.
    @Test func aPressReadsAnUnreadableBookAgainLaterAndSettlesTheIntent() async throws {
        let armed = Mutex<FakeOpenAlgo?>(nil), waits = Mutex<[Duration]>([])
        let rig = try await OrderDeskFixture.make(unreadableRetries: [.seconds(15), .seconds(30)], pause: { wait in
            waits.withLock { $0.append(wait) }
            // The reconcile's first pause: from now on its three reads fail, as behind an open breaker.
            if let fake = armed.withLock({ fake in defer { fake = nil }; return fake }) {
                await fake.inject(.status(503, message: "Service Unavailable"), for: "orderbook", times: 3)
            }
        })
        armed.withLock { $0 = rig.fake }
        let id = try #require(try await rig.propose().id)
        await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
        let result = try await rig.confirm(id)
        #expect(result.html?.contains("<b>Placed</b>") == true || rig.progress.all.contains { $0.contains("<b>Placed</b>") })
        let intent = try #require(try await rig.intents().first)
        #expect(intent.state == .placed && intent.brokerOrderID != nil)
        #expect(await rig.fake.calls("placeorder") == 1, "read again, never sent again")
        // One retry was enough: the second (30 s) never waited.
        #expect(waits.withLock { $0 }.contains(.seconds(15)) && !waits.withLock { $0 }.contains(.seconds(30)))
        await rig.close()
    }
}
