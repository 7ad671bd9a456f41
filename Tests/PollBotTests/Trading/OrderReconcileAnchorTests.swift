import BotKit
import Foundation
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// The reconcile's grace period is the time an order the broker took has to show up in its book, so it counts from
/// the moment the outcome became unknown, not from the confirm press: a placement that timed out after the broker's
/// whole time limit had spent the grace before the first read, and three reads back to back told the user "nothing
/// was placed, you may send it again" about an order that was only late to appear (sent again: placed twice).
@Suite struct OrderReconcileAnchorTests {
    @Test func aPlacementThatTimedOutIsStillGivenTheWholeGraceAfterTheTimeout() async throws {
        let waits = Mutex<[Duration]>([]), armed = Mutex<FakeOpenAlgo?>(nil)
        let rig = try await OrderDeskFixture.make(readWaits: [.zero, .seconds(4), .seconds(6)], pause: { wait in
            waits.withLock { $0.append(wait) }
            // The reconcile's first read fails, so the second one, after the first step of the grace, is the one that counts.
            if let fake = armed.withLock({ fake in defer { fake = nil }; return fake }) {
                await fake.inject(.status(503, message: "Service Unavailable"), for: "orderbook", times: 1)
            }
        })
        armed.withLock { $0 = rig.fake }
        let id = try #require(try await rig.propose().id)
        // Confirmed a minute ago on the bot's clock (a slow book read and the broker's whole time limit since): the
        // clock stands still from here, so every wait below is measured from the moment the outcome became unknown.
        let confirmed = try await rig.store.confirmOrder(id: id, by: OrderDeskFixture.user, account: "main",
                                                         receivedAt: rig.clock.now.addingTimeInterval(-60), clientID: "pb-late",
                                                         now: rig.clock.now.addingTimeInterval(-60))
        guard case .confirmed(let intent) = confirmed else { throw CancellationError() }
        let session = try #require(try await rig.desk.hub.session(userID: OrderDeskFixture.user, account: "main"))
        await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
        _ = await rig.desk.send(intent, session: session, logger: rig.logger, redact: KeyRedaction(key: nil))
        let seen = waits.withLock { $0 }
        #expect(seen.first == .zero && seen.dropFirst().first == .seconds(4), "the grace counted from the timeout: \(seen)")
        #expect(try await rig.intents().first?.state == .placed)
        #expect(await rig.fake.calls("placeorder") == 1, "read again, never sent again")
        await rig.close()
    }

    /// At startup an intent left open counts its grace from when it was last changed (the baseline read right before
    /// sending, or the recorded timeout), so an intent confirmed long ago whose send was slow to start still gets it.
    @Test func aStartCountsTheGraceFromTheLastChangeOfTheIntent() async throws {
        let waits = Mutex<[Duration]>([])
        let rig = try await OrderDeskFixture.make(readWaits: [.zero, .seconds(4), .seconds(6)], pause: { wait in
            waits.withLock { $0.append(wait) }
        })
        let id = try #require(try await rig.propose().id)
        // Confirmed 20 s ago; its baseline read, right before the send, 1 s ago; then the process died.
        let now = rig.clock.now
        _ = try await rig.store.confirmOrder(id: id, by: OrderDeskFixture.user, account: "main", receivedAt: now.addingTimeInterval(-20),
                                             clientID: "pb-slow", now: now.addingTimeInterval(-20))
        try await rig.store.setBaseline([], of: "pb-slow", now: now.addingTimeInterval(-1))
        _ = await rig.desk.reconcileUnresolved(logger: rig.logger)
        #expect(waits.withLock { $0 } == [.zero, .seconds(3), .seconds(6)], "the grace counted from the baseline read")
        #expect(try await rig.intents().first?.state == .failed)
        await rig.close()
    }
}
