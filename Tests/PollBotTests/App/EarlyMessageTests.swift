import BotKit
@testable import PollBot
import Foundation
import Synchronization
import TestSupport
import Testing

/// `BotContext.sendEarly`: a message a slow handler shows at once, before its own reply, through the outbox.
@Suite struct EarlyMessageTests {
    /// Lets the test decide when the slow command may finish.
    static let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)

    struct SlowCommand: Command {
        static let name = "slow"
        static let summary = "A command that says checking, then waits for the test"
        init(arguments: inout ArgumentScanner) throws {}
        func run(in context: TraderContext) async throws -> [OutgoingMessage] {
            await context.bot.sendEarly(context.reply("checking\u{2026}"))
            await withCheckedContinuation { continuation in EarlyMessageTests.gate.withLock { $0 = continuation } }
            return context.reply("done")
        }
    }

    @Test func anEarlyMessageArrivesWhileTheHandlerStillRunsAndItsReplyFollows() async throws {
        let harness = try await BotHarness.start(registry: TraderApp.registry.adding([SlowCommand.self]))
        let user = FakeUser(id: 6101)
        await harness.fake.sendText("/slow", from: user)
        let early = await harness.fake.waitForCalls("sendMessage", count: 1)
        #expect(early.map(\.visibleText) == ["checking\u{2026}"])
        // The handler is still running (it cannot reply before the gate opens): only the early message went out.
        while EarlyMessageTests.gate.withLock({ $0 == nil }) { await Task.yield() }
        #expect(await harness.fake.sent("sendMessage").count == 1)
        EarlyMessageTests.gate.withLock { $0?.resume(); $0 = nil }
        let all = await harness.fake.waitForCalls("sendMessage", count: 2)
        #expect(all.map(\.visibleText) == ["checking\u{2026}", "done"])
        await harness.shutdown()
    }
}
