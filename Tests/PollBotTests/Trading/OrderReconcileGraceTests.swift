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
}
