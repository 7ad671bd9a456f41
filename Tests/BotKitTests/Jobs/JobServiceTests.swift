@testable import BotKit
import Foundation
import Logging
import TestSupport
import Testing

/// `/pong`: answers at once, to time the update path while a job hangs.
struct PongCommand: Command {
    static let name = "pong"
    static let summary = "Answers at once"
    init(arguments: inout ArgumentScanner) throws {}
    func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] {
        [.text("pong", to: context.chat.id)]
    }
}

/// The scheduler in the real bot's service group: off the update path, and stopped within its drain time.
@Suite(.serialized) struct JobServiceTests {
    @Test func aHangingJobNeitherDelaysACommandNorTheShutdown() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let logs = LogCapture()
        let bot = try BotShutdownTests.bot(apiURL: fake.apiURL, token: fake.token, directory: directory, logger: logs.logger()) { app in
            app.registry = CommandRegistry([PongCommand.self])
            app.jobs = JobRegistry([GatedJob.self])
            app.jobSettings.drain = .milliseconds(100)
        }
        let store = try BotStore(path: directory.file("bot.sqlite3"))
        let gate = GatedJob.gate("in the bot")
        try await store.scheduleJob(GatedJob.self, key: "w", parameters: .init(gate: "in the bot"), schedule: .every(seconds: 60))
        let running = Task { try await bot.run() }
        await BotShutdownTests.waitUntil { gate.arrived == 1 }
        try #require(gate.arrived == 1, "the job started in the bot")

        _ = await fake.sendText("/pong", from: FakeUser(id: 41))
        let replies = await fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(5))
        #expect(replies.map(\.text) == ["pong"], "the command was answered while the job hangs")
        let during = try await store.job(GatedJob.self, key: "w")
        #expect(gate.arrived == 1 && during?.lastRunAt == nil, "the job was still hanging when the reply went out")

        let asked = ContinuousClock.now
        await bot.requestStop()
        try await running.value
        #expect(asked.duration(to: .now) < .seconds(5), "the stop waited for the hanging job")
        let log = logs.text
        #expect(log.contains("job cancelled at shutdown"))
        // The scheduler stops before handlers drain and the outbox is flushed (its runs commit to the outbox).
        let jobs = try #require(log.range(of: "shutdown: stopping jobs"))
        let drain = try #require(log.range(of: "shutdown: waiting for running handlers"))
        #expect(jobs.lowerBound < drain.lowerBound)
        // Cancelled, not failed: it runs again after the restart, and nothing of it was sent.
        let job = try #require(try await store.job(GatedJob.self, key: "w"))
        #expect(job.failures == 0 && job.lastRunAt == nil && job.state == .active)
        #expect(await fake.sent("sendMessage").map(\.text) == ["pong"])
        gate.open()
        await fake.stop()
        directory.remove()
    }
}
