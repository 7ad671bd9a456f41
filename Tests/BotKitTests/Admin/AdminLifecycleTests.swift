@testable import BotKit
import Foundation
import Logging
import ServiceLifecycle
import TestSupport
import Testing

/// The admin listener in a real `Bot`'s service group: where it starts, what it counts, and when it stops.
@Suite struct AdminLifecycleTests {
    /// An app job that holds the shutdown at its own step until the test lets it go.
    struct GatedJob: Service {
        let gate: HoldGate
        let events: EventLog

        func run() async throws {
            try? await gracefulShutdown()
            events.append("stopping")
            await gate.pass()
        }
    }

    @Test func theListenerAnswersThroughTheShutdownAndIsGoneOnceTheBotStopped() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let logs = LogCapture()
        _ = try MasterKey.generate(to: directory.file("master.key"))
        var settings = BotSettings(token: fake.token, databasePath: directory.file("bot.sqlite3"), keyFile: directory.file("master.key"))
        settings.apiURL = fake.apiURL
        settings.pollTimeout = 2
        settings.admin = AdminSettings(address: AdminAddress(host: "127.0.0.1", port: 0))
        let gate = HoldGate(), events = EventLog()
        var app = BotApp(registry: CommandRegistry<NoServices>([]), makeServices: { _, _ in NoServices() })
        app.backgroundJobs = { _ in [GatedJob(gate: gate, events: events)] }
        let bot = try Bot(settings: settings, app: app, logger: logs.logger())
        let running = Task { try await bot.run() }
        await BotShutdownTests.waitUntil { (try? await bot.adminPort()) != nil }
        let port = try #require(try await bot.adminPort())
        await BotShutdownTests.waitUntil { logs.text.contains("admin listener on http://127.0.0.1:\(port)") }
        #expect(logs.text.contains("admin listener on http://127.0.0.1:\(port) (/metrics, /healthz, /readyz)"))
        await fake.sendText("/nothing", from: FakeUser(id: 43))
        _ = await fake.waitForCalls("sendMessage", count: 1)

        let stopped = Task {
            await bot.requestStop()
            try await running.value
        }
        // The poller has stopped and the app's job holds the shutdown: the listener still answers.
        await BotShutdownTests.waitUntil { events.all == ["stopping"] }
        try #require(events.all == ["stopping"])
        #expect(try await AdminScrape.get("/healthz", port: port).status == 200)
        let scraped = try await AdminScrape.get("/metrics", port: port)
        let samples = try #require(PrometheusText.samples(scraped.body))
        #expect(samples["pollbot_updates_received_total{kind=\"message\"}"] == 1)
        #expect(PrometheusText.sum(samples, "pollbot_commands_total", ["command=\"unknown\""]) == 1, "\(scraped.body)")
        gate.open()
        try await stopped.value

        await #expect(throws: (any Error).self, "the listener outlived the bot") {
            _ = try await AdminScrape.get("/healthz", port: port)
        }
        await fake.stop()
        directory.remove()
    }
}
