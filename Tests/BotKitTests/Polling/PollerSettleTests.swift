@testable import BotKit
import Foundation
import Synchronization
import TestSupport
import Testing

/// A round waits for its batch to settle and the replies to go out before it asks Telegram for more (so the next
/// getUpdates does not take the CPU from the handlers it follows), and never longer than its bound.
@Suite struct PollerSettleTests {
    /// A rig whose handler waits at `gate` before answering, and a poller on it.
    func rig(settleWithin: Duration) async throws -> (HoldGate, DispatchTests.Rig, Poller) {
        let gate = HoldGate()
        let rig = try await DispatchTests.Rig.make { item in
            await gate.pass()
            return HandlerResult(replies: [.text("answer \(item.update.updateID)", to: item.update.chatID!)])
        }
        let poller = Poller(client: TelegramClient(apiURL: rig.fake.apiURL, token: rig.fake.token), store: rig.store,
                            dispatcher: rig.dispatcher, sender: rig.sender, pollTimeout: 0, settleWithin: settleWithin)
        return (gate, rig, poller)
    }

    final class Flag: Sendable {
        let raised = Mutex(false)
    }

    /// Runs one round in the background; `done` is raised when it returns.
    func round(_ poller: Poller) -> (Task<Int, any Error>, Flag) {
        let done = Flag()
        let task = Task {
            let count = try await poller.pollOnce()
            done.raised.withLock { $0 = true }
            return count
        }
        return (task, done)
    }

    @Test func theNextRoundWaitsUntilTheBatchsRepliesAreOut() async throws {
        let (gate, rig, poller) = try await rig(settleWithin: .seconds(30))
        let updateID = await rig.fake.sendText("/start", from: FakeUser(id: 7))
        let (task, done) = round(poller)
        try await DispatcherBacklogTests().eventually { gate.arrived == 1 }
        try await Task.sleep(for: .milliseconds(150))
        // The handler is held: without the wait the round returned as soon as the batch was queued.
        #expect(!done.raised.withLock { $0 })

        gate.open()
        #expect(try await task.value == 1)
        // The reply reached Telegram before the round ended, so the next getUpdates comes after it.
        #expect(await rig.fake.sent("sendMessage").compactMap(\.text) == ["answer \(updateID)"])
        await rig.close()
    }

    @Test func aSlowHandlerHoldsTheRoundNoLongerThanItsBound() async throws {
        let (gate, rig, poller) = try await rig(settleWithin: .milliseconds(50))
        await rig.fake.sendText("/start", from: FakeUser(id: 7))
        let started = ContinuousClock.now
        let (task, _) = round(poller)
        #expect(try await task.value == 1)
        // A broker call may take seconds; the loop goes on after the bound with the handler still running.
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(gate.arrived <= 1)
        #expect(await rig.fake.sent("sendMessage").isEmpty)
        gate.open()
        #expect(await rig.dispatcher.drain(timeout: .seconds(10)))
        await rig.close()
    }

    @Test func aReplyTelegramDoesNotAnswerHoldsTheRoundNoLongerThanItsBound() async throws {
        let (gate, rig, poller) = try await rig(settleWithin: .seconds(1))
        gate.open()
        // Telegram takes the reply and does not answer for 6 s: the round waits for the transfer until its bound only.
        await rig.fake.inject(.stall(.seconds(6)), for: "sendMessage")
        await rig.fake.sendText("/start", from: FakeUser(id: 7))
        let started = ContinuousClock.now
        #expect(try await poller.pollOnce() == 1)
        let took = started.duration(to: .now)
        // It did wait (the handler settled at once, so the transfer held it), and not for the transfer's end.
        #expect(took >= .seconds(1))
        #expect(took < .seconds(4))
        #expect(await rig.sender.flush(timeout: .seconds(20)))
        await rig.close()
    }

    @Test func aShutdownEndsTheWaitAtOnce() async throws {
        let (gate, rig, poller) = try await rig(settleWithin: .seconds(30))
        await rig.fake.sendText("/start", from: FakeUser(id: 7))
        let (task, _) = round(poller)
        try await DispatcherBacklogTests().eventually { gate.arrived == 1 }
        let stopping = ContinuousClock.now
        // The drain gives up on the held handler after its timeout; the round must not wait out its 30 s.
        _ = await rig.dispatcher.drain(timeout: .milliseconds(50))
        #expect(try await task.value == 1)
        #expect(stopping.duration(to: .now) < .seconds(10))
        gate.open()
        await rig.close()
    }

    @Test func updatesThatSettledBeforeTheWaitDoNotHoldIt() async throws {
        let rig = try await DispatchTests.Rig.make { _ in HandlerResult(replies: []) }
        let item = DispatchTests().inbox(1, chat: 1, text: "/start")
        try await rig.record([item])
        await rig.dispatcher.submit([item], watch: true)
        try await DispatcherBacklogTests().eventually { (try? await rig.store.inboxCounts().handled) == 1 }
        let started = ContinuousClock.now
        await rig.dispatcher.waitUntilSettled(deadline: .now + .seconds(30))
        #expect(started.duration(to: .now) < .seconds(5))
        await rig.close()
    }
}
