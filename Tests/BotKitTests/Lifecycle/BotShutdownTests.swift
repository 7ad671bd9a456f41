@testable import BotKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

/// Lets `/hold` handlers through only once the test opens it, and counts the ones that arrived.
final class HoldGate: Sendable {
    private let state = Mutex<(open: Bool, arrived: Int, waiting: [CheckedContinuation<Void, Never>])>((false, 0, []))

    var arrived: Int { state.withLock { $0.arrived } }

    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let go = state.withLock { state -> Bool in
                state.arrived += 1
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if go { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// `/hold`: a handler still running when the stop comes.
struct HoldCommand: Command {
    static let name = "hold"
    static let summary = "Waits for the test"
    static let gate = HoldGate()
    init(arguments: inout ArgumentScanner) throws {}
    func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] {
        await Self.gate.pass()
        return [.text("held", to: context.chat.id)]
    }
}

/// The engine's `Bot` on its service group: what a stop waits for, and a stop before the bot is up.
@Suite(.serialized) struct BotShutdownTests {
    static func bot(apiURL: String, token: String, directory: TemporaryDirectory, logger: Logger,
                    jobs: [any Service] = [], configure: (inout BotApp<NoServices>) -> Void = { _ in }) throws -> Bot<NoServices> {
        _ = try MasterKey.generate(to: directory.file("master.key"))
        var settings = BotSettings(token: token, databasePath: directory.file("bot.sqlite3"), keyFile: directory.file("master.key"))
        settings.apiURL = apiURL
        settings.pollTimeout = 2
        settings.floodLimits = false
        settings.userPerMinute = 0
        settings.globalPerSecond = 0
        var app = BotApp(registry: CommandRegistry<NoServices>([HoldCommand.self]), makeServices: { _, _ in NoServices() })
        app.backgroundJobs = { _ in jobs }
        configure(&app)
        return try Bot(settings: settings, app: app, logger: logger)
    }

    /// Polls `condition` until it holds or five seconds pass.
    static func waitUntil(_ condition: @Sendable () async -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(5)
        while await !condition(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func aStopLetsTheRunningHandlerFinishAndDeliversItsReplyBeforeRunReturns() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let logs = LogCapture()
        let bot = try Self.bot(apiURL: fake.apiURL, token: fake.token, directory: directory, logger: logs.logger())
        let running = Task { try await bot.run() }
        let id = await fake.sendText("/hold", from: FakeUser(id: 41))
        await Self.waitUntil { HoldCommand.gate.arrived == 1 }
        try #require(HoldCommand.gate.arrived == 1)

        let stopped = Task { () async throws -> ContinuousClock.Instant in
            await bot.requestStop()
            try await running.value
            return .now
        }
        // Opened only once the shutdown waits for handlers: a stop that did not wait would have returned by now.
        await Self.waitUntil { logs.text.contains("shutdown: waiting for running handlers") }
        try #require(logs.text.contains("shutdown: waiting for running handlers"))
        HoldCommand.gate.open()
        let returnedAt = try await stopped.value

        let replies = await fake.sent("sendMessage")
        #expect(replies.map(\.text) == ["held"], "the reply was drained and flushed, not dropped")
        let reply = try #require(replies.first)
        #expect(reply.receivedAt < returnedAt, "run returned before the reply was delivered")
        #expect(await fake.confirmedBelow > id)
        let store = try BotStore(path: directory.file("bot.sqlite3"))
        #expect(try await store.isHandled(updateID: id))
        #expect(try await store.outboxCount() == 0)
        // The order of the steps: handlers drain, then the outbox is flushed, then the offset is confirmed.
        let log = logs.text
        let drain = try #require(log.range(of: "shutdown: waiting for running handlers"))
        let flush = try #require(log.range(of: "shutdown: sending what is left in the outbox"))
        let done = try #require(log.range(of: "pollbot stopped"))
        #expect(drain.lowerBound < flush.lowerBound && flush.lowerBound < done.lowerBound)
        await fake.stop()
        directory.remove()
    }

    @Test func aStopWhileTelegramIsUnreachableAtStartEndsTheRunAtOnce() async throws {
        // A port nothing listens on any more: every call at start fails, and the start backs off.
        let gone = try await FakeTelegram.start()
        let apiURL = gone.apiURL
        await gone.stop()
        let directory = try TemporaryDirectory()
        let logs = LogCapture()
        let bot = try Self.bot(apiURL: apiURL, token: gone.token, directory: directory, logger: logs.logger())
        let running = Task { try await bot.run() }
        await Self.waitUntil { logs.text.contains("cannot reach Telegram at start") }
        try #require(logs.text.contains("cannot reach Telegram at start"))

        let asked = ContinuousClock.now
        await bot.requestStop()
        try await running.value
        #expect(asked.duration(to: .now) < .seconds(1), "still asleep in the start's backoff")
        #expect(logs.text.contains("pollbot stopped before it was connected"))
        directory.remove()
    }

    /// An app job: records that it ran and that the graceful shutdown reached it.
    struct RecordingJob: Service {
        let events: EventLog

        func run() async throws {
            events.append("started")
            try? await gracefulShutdown()
            events.append("stopped")
        }
    }

    @Test func anAppsBackgroundJobRunsInTheGroupAndStopsWithIt() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let events = EventLog()
        let bot = try Self.bot(apiURL: fake.apiURL, token: fake.token, directory: directory, logger: LogCapture().logger(),
                               jobs: [RecordingJob(events: events)])
        let running = Task { try await bot.run() }
        await Self.waitUntil { events.all == ["started"] }
        await bot.requestStop()
        try await running.value
        #expect(events.all == ["started", "stopped"])
        await fake.stop()
        directory.remove()
    }
}

/// What a job saw, shared between the job and the test.
final class EventLog: Sendable {
    let events = Mutex<[String]>([])
    func append(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}
