@testable import BotKit
import Foundation
import Synchronization
import Testing

/// The dispatcher holds at most `maxBacklog` (256 by default) updates in memory: `submit` waits beyond that, and
/// nothing queued is lost or run twice because of the wait.
@Suite struct DispatcherBacklogTests {
    /// Polls `condition` every 5 ms for at most 10 s.
    func eventually(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while await !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test func submitWaitsWhileMoreThan256AreQueuedAndEveryUpdateRunsOnce() async throws {
        let gate = HoldGate()
        let started = Mutex<[Int64]>([])
        let rig = try await DispatchTests.Rig.make { item in
            started.withLock { $0.append(item.update.updateID) }
            await gate.pass()
            return HandlerResult(replies: [])
        }
        // 400 updates from 400 chats: 64 handlers start, 336 wait in memory, more than the 256 allowed.
        let items = (1...400).map { DispatchTests().inbox(Int64($0), chat: Int64($0), text: "/start") }
        try await rig.record(items)
        let returned = Mutex(false)
        let submit = Task {
            await rig.dispatcher.submit(items)
            returned.withLock { $0 = true }
        }
        try await eventually { gate.arrived == 64 }
        #expect(gate.arrived == 64)
        // Every running handler is held, so nothing can leave the queue: submit still waits, as the poller would.
        #expect(!returned.withLock { $0 })

        gate.open()
        await submit.value
        try await eventually { (try? await rig.store.inboxCounts().handled) == 400 }
        let ids = started.withLock { $0 }
        #expect(ids.count == 400)
        #expect(Set(ids) == Set(1...400))
        let counts = try await rig.store.inboxCounts()
        #expect(counts.pending == 0 && counts.handled == 400)
        await rig.close()
    }

    /// A rig whose handlers wait at `gate`, and 400 recorded updates from 400 chats.
    func heldRig() async throws -> (HoldGate, DispatchTests.Rig, [InboxItem]) {
        let gate = HoldGate()
        let rig = try await DispatchTests.Rig.make { _ in
            await gate.pass()
            return HandlerResult(replies: [])
        }
        let items = (1...400).map { DispatchTests().inbox(Int64($0), chat: Int64($0), text: "/start") }
        try await rig.record(items)
        return (gate, rig, items)
    }

    @Test func aStopReleasesASubmitWaitingForRoom() async throws {
        let (gate, rig, items) = try await heldRig()
        let submit = Task { await rig.dispatcher.submit(items) }
        try await eventually { gate.arrived == 64 }
        // drain stops taking work and lets the poller's submit return at once, not when the backlog drains.
        let drained = Task { await rig.dispatcher.drain(timeout: .seconds(10)) }
        await submit.value
        gate.open()
        #expect(await drained.value)
        // What did not start stays pending in the inbox for the next run.
        let counts = try await rig.store.inboxCounts()
        #expect(counts.handled == 64 && counts.pending == 336)
        await rig.close()
    }

    @Test func theRowsLeftPendingAtStartAreQueuedWithoutWaitingForRoom() async throws {
        let (gate, rig, items) = try await heldRig()
        // Every handler is held, yet the start goes on: the services (the poller, READY) start after this call.
        await rig.dispatcher.submit(items, waitForRoom: false)
        try await eventually { gate.arrived == 64 }
        #expect(gate.arrived == 64)
        gate.open()
        try await eventually { (try? await rig.store.inboxCounts().handled) == 400 }
        #expect(try await rig.store.inboxCounts().handled == 400)
        await rig.close()
    }
}
