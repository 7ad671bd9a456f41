import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The poller keeps the next offset in memory after reading it once: each round must still confirm exactly what it
/// recorded, across single-update rounds, a batch, and a restart that reads the offset from the store again.
@Suite struct PollerOffsetTests {
    let alice = FakeUser(id: 1001, firstName: "Alice")

    /// Waits until Telegram has been told to drop every update up to `id`, or 5 s have passed.
    func confirmed(through id: Int64, on fake: FakeTelegram) async -> Int64 {
        for _ in 0..<500 where await fake.confirmedBelow <= id {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await fake.confirmedBelow
    }

    @Test func everyRoundConfirmsWhatItRecordedAndARestartGoesOnFromTheStore() async throws {
        var harness = try await BotHarness.start()
        var last: Int64 = 0
        for round in 1...3 {
            last = await harness.fake.sendText("/help r\(round)", from: alice)
            await harness.fake.waitForCalls("sendMessage", count: round)
            #expect(await confirmed(through: last, on: harness.fake) == last + 1)
        }
        for round in 4...6 { last = await harness.fake.sendText("/help r\(round)", from: alice) }
        await harness.fake.waitForCalls("sendMessage", count: 6)
        #expect(await confirmed(through: last, on: harness.fake) == last + 1)

        harness = try await harness.restarted()
        last = await harness.fake.sendText("/help r7", from: alice)
        let replies = await harness.fake.waitForCalls("sendMessage", count: 7)
        #expect(await confirmed(through: last, on: harness.fake) == last + 1)
        await harness.shutdown()
        // Nothing was delivered twice: one reply per update, each naming its own round.
        #expect(replies.count == 7)
        for round in 1...7 { #expect(replies.filter { $0.text?.contains("r\(round)") == true }.count == 1) }
    }
}
