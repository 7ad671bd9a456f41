import BotKit
import Foundation
import Logging
@testable import PollBot
import Synchronization
import TestSupport

/// The demo's own bot (DemoTelegram, real SQLite in a temporary directory) on a clock fixed at `start` that only
/// /demo_time moves, with everything the terminal would show collected.
final class DemoRig: Sendable {
    let directory: TemporaryDirectory
    let demo: DemoBot
    private let shown = Shown()
    private let running: Task<Void, any Error>

    /// Wednesday 7 January 2026, 09:20 in Mumbai: five minutes into a session.
    static let wednesdayMorning = Date(timeIntervalSince1970: 1_767_757_800)

    init(start: Date = DemoRig.wednesdayMorning) async throws {
        directory = try TemporaryDirectory()
        let shown = shown
        let telegram = DemoTelegram(renderer: TerminalRenderer(ansi: false), photoDirectory: directory.file("photos"),
                                    output: { line in shown.lines.withLock { $0.append(line) } })
        var logger = Logger(label: "demo-test")
        logger.logLevel = .error
        demo = try DemoBot(directory: directory.path, telegram: telegram, clock: BotClock(base: { start }), logger: logger)
        running = Task { [bot = demo.bot] in try await bot.run() }
        // Answered once the services exist; then the jobs due at the start have run, so the tests begin from rest.
        _ = await demo.send("/start")
        _ = try await store().catchUpJobs(dueBy: start)
    }

    /// Sends `line` and returns what the terminal showed for it.
    @discardableResult
    func send(_ line: String) async -> String {
        let before = shown.lines.withLock { $0.count }
        _ = await demo.send(line)
        return shown.lines.withLock { $0[before...].joined(separator: "\n") }
    }

    /// Everything shown so far.
    var transcript: String { shown.lines.withLock { $0.joined(separator: "\n") } }

    /// The bot's database, opened beside it (as the CLI does).
    func store() async throws -> BotStore { try await TraderApp.openStore(path: demo.config.storage.path) }

    func stop() async throws {
        await demo.bot.requestStop()
        try await running.value
    }
}

/// What the terminal showed, line by line, shared with DemoTelegram's output.
final class Shown: Sendable {
    let lines = Mutex<[String]>([])
}
