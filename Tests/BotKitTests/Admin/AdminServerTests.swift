@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The admin listener over real loopback HTTP: pages, bearer token, and the readiness test against a real store.
@Suite struct AdminServerTests {
    /// A listener on a kernel-picked port with the engine's readiness over `store`, getUpdates last answering at `polled`.
    struct Rig {
        let directory: TemporaryDirectory
        let store: BotStore
        let clock = ManualInstant()
        let metrics = BotMetrics()
        let server: AdminServer
        let running: Task<Void, any Error>
        let port: UInt16

        init(token: String? = nil, extra: [ReadinessCheck] = []) async throws {
            directory = try TemporaryDirectory()
            let store = try BotStore(path: directory.file("db.sqlite3"))
            self.store = store
            let clock = clock, polled = clock.now
            let readiness = Readiness(Readiness.engine(store: store, lastGetUpdates: { polled }, pollTimeout: 25,
                                                       outboxStuckAfter: .seconds(600), now: { clock.now }) + extra)
            metrics.refreshEngineGauges(store: store, lastGetUpdates: { polled })
            server = try AdminServer(settings: AdminSettings(address: AdminAddress(host: "127.0.0.1", port: 0), token: token),
                                     metrics: metrics, readiness: readiness)
            running = Task { [server] in try await server.run() }
            port = try await server.port()
        }

        func stop() {
            running.cancel()
            directory.remove()
        }
    }

    @Test func portZeroPicksAFreePortAndHealthzAnswersJSON() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        #expect(rig.port != 0)
        let health = try await AdminScrape.get("/healthz", port: rig.port)
        #expect(health.status == 200)
        #expect(health.body == "{\"live\":true}")
        let missing = try await AdminScrape.get("/nothing", port: rig.port)
        #expect(missing.status == 404)
        let posted = try await AdminScrape.get("/metrics", port: rig.port, method: "POST")
        #expect(posted.status == 405)
    }

    @Test func metricsIsPrometheusTextWithTheScrapeTimeGauges() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        _ = try await rig.store.enqueue([.text("hi", to: 7), .text("again", to: 7)])
        rig.metrics.count("pollbot_updates_received_total", [("kind", "message")], by: 3)
        rig.metrics.time("pollbot_command_duration_seconds", [("command", "/start")], .milliseconds(40))
        let page = try await AdminScrape.get("/metrics", port: rig.port)
        #expect(page.status == 200)
        let samples = try #require(PrometheusText.samples(page.body), "every line a comment or a sample:\n\(page.body)")
        #expect(samples["pollbot_outbox_depth"] == 2)
        #expect(samples["pollbot_inbox_pending"] == 0)
        #expect(samples["pollbot_updates_received_total{kind=\"message\"}"] == 3)
        #expect(samples["pollbot_command_duration_seconds_count{command=\"/start\"}"] == 1)
        // 40 ms lands in the 50 ms bucket and above, not in the 35 ms one.
        #expect(samples["pollbot_command_duration_seconds_bucket{command=\"/start\",le=\"0.035\"}"] == 0)
        #expect(samples["pollbot_command_duration_seconds_bucket{command=\"/start\",le=\"0.05\"}"] == 1)
        #expect((samples["pollbot_sqlite_file_bytes{file=\"db\"}"] ?? 0) > 0)
        #expect((samples["pollbot_process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect((samples["pollbot_process_open_fds"] ?? 0) > 2)
        #expect(samples["pollbot_process_cpu_seconds_total"] != nil)
        #expect(page.body.contains("# TYPE pollbot_command_duration_seconds histogram"))
    }

    @Test func withATokenOnlyTheRightBearerIsServed() async throws {
        let token = "s3cret-admin-token-0123456789"
        let rig = try await Rig(token: token)
        defer { rig.stop() }
        for path in ["/metrics", "/healthz", "/readyz"] {
            #expect(try await AdminScrape.get(path, port: rig.port).status == 401)
            #expect(try await AdminScrape.get(path, port: rig.port, token: "s3cret-admin-token-012345678X").status == 401)
            #expect(try await AdminScrape.get(path, port: rig.port, token: "short").status == 401)
            #expect(try await AdminScrape.get(path, port: rig.port, token: token).status == 200)
        }
        let refused = try await AdminScrape.get("/metrics", port: rig.port)
        #expect(!refused.body.contains(token))
    }

    @Test func readyzIsReadyThenNamesAStaleGetUpdates() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        let ready = try await AdminScrape.get("/readyz", port: rig.port)
        #expect(ready.status == 200)
        #expect(ready.body.contains("\"ready\":true"))
        // 2 × poll_timeout (25 s) without a successful getUpdates.
        rig.clock.advance(by: .seconds(49))
        #expect(try await AdminScrape.get("/readyz", port: rig.port).status == 200)
        rig.clock.advance(by: .seconds(2))
        let stale = try await AdminScrape.get("/readyz", port: rig.port)
        #expect(stale.status == 503)
        let report = try JSONDecoder().decode(Report.self, from: Data(stale.body.utf8))
        #expect(report.ready == false)
        #expect(report.checks.filter { !$0.ok }.map(\.name) == ["getupdates"])
        #expect(report.checks.first { $0.name == "getupdates" }?.detail?.contains("no successful getUpdates for 51 s") == true)
    }

    @Test func readyzFailsWhenTheDatabaseCannotBeWritten() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        #expect(try await AdminScrape.get("/readyz", port: rig.port).status == 200)
        // The connection refuses writes from now on, as on a read-only remount.
        try await rig.store.setQueryOnly(true)
        let refused = try await AdminScrape.get("/readyz", port: rig.port)
        #expect(refused.status == 503)
        let report = try JSONDecoder().decode(Report.self, from: Data(refused.body.utf8))
        #expect(report.checks.filter { !$0.ok }.map(\.name) == ["database"])
        try await rig.store.setQueryOnly(false)
        #expect(try await AdminScrape.get("/readyz", port: rig.port).status == 200)
    }

    @Test func readyzFailsWhenTheOutboxIsStuck() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        _ = try await rig.store.enqueue([.text("waiting", to: 9)], now: Date().addingTimeInterval(-601))
        let stuck = try await AdminScrape.get("/readyz", port: rig.port)
        #expect(stuck.status == 503)
        let report = try JSONDecoder().decode(Report.self, from: Data(stuck.body.utf8))
        #expect(report.checks.filter { !$0.ok }.map(\.name) == ["outbox"])
    }

    @Test func anAppCheckTakesPartAndEveryFailureIsNamed() async throws {
        let rig = try await Rig(extra: [ReadinessCheck("charts") { "3 chart renders are stuck" }])
        defer { rig.stop() }
        rig.clock.advance(by: .seconds(3600))
        let page = try await AdminScrape.get("/readyz", port: rig.port)
        #expect(page.status == 503)
        let report = try JSONDecoder().decode(Report.self, from: Data(page.body.utf8))
        #expect(report.checks.filter { !$0.ok }.map(\.name) == ["getupdates", "charts"])
    }

    @Test func garbageOnTheSocketNeverStopsTheListener() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        for junk in ["\u{0}\u{1}\u{2}not http at all\r\n\r\n", "GET /metrics HTTP/9.9\r\nContent-Length: -5\r\n\r\n",
                     "GET /" + String(repeating: "a", count: 70_000) + " HTTP/1.1\r\n\r\n", "GET /readyz HTTP/1.1\r\nHost"] {
            Self.sendRaw(junk, port: rig.port)
        }
        let long = try await AdminScrape.get("/metrics?" + String(repeating: "x", count: 4000), port: rig.port)
        #expect(long.status == 200)
        #expect(try await AdminScrape.get("/healthz", port: rig.port).status == 200)
    }

    /// Writes `text` to a fresh connection and closes it without reading.
    static func sendRaw(_ text: String, port: UInt16) {
        guard let client = try? RawClient(port: port) else { return }
        client.sendBlocking(text)
        client.close()
    }

    struct Report: Decodable {
        struct Entry: Decodable {
            var name: String
            var ok: Bool
            var detail: String?
        }
        var ready: Bool
        var checks: [Entry]
    }
}

extension BotStore {
    /// Makes the connection refuse writes (SQLITE_READONLY), or allows them again.
    func setQueryOnly(_ on: Bool) throws {
        try db.execute("PRAGMA query_only = \(on ? 1 : 0)")
    }
}
