@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The status page over real loopback HTTP, its figures computed from a real store's command log and inbox.
@Suite struct StatusPageTests {
    /// A fixed wall clock, so "the last 15 minutes" and "today" are exact.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    struct Rig {
        let directory: TemporaryDirectory
        let store: BotStore
        let server: AdminServer
        let running: Task<Void, any Error>
        let port: UInt16

        init(token: String? = nil, sections: [StatusSection] = [], known: Set<String> = ["/start", "/positions"]) async throws {
            directory = try TemporaryDirectory()
            let store = try BotStore(path: directory.file("db.sqlite3"))
            self.store = store
            let readiness = Readiness(Readiness.engine(store: store, lastGetUpdates: { .now }, pollTimeout: 25,
                                                       outboxStuckAfter: .seconds(600), wallNow: { StatusPageTests.now }))
            let page = StatusPage(store: store, version: "9.8.7-test", startedAt: StatusPageTests.now.addingTimeInterval(-3 * 3600 - 120),
                                  readiness: readiness, knownCommands: known, sections: sections, now: { StatusPageTests.now })
            server = try AdminServer(settings: AdminSettings(address: AdminAddress(host: "127.0.0.1", port: 0), token: token),
                                     metrics: BotMetrics(), readiness: readiness, status: page)
            running = Task { [server] in try await server.run() }
            port = try await server.port()
        }

        func page(token: String? = nil) async throws -> String {
            let response = try await AdminScrape.get("/", port: port, token: token)
            #expect(response.status == 200)
            return response.body
        }

        func stop() {
            running.cancel()
            directory.remove()
        }
    }

    static func value(_ id: String, in html: String) -> String? { StatusPageCells.value(id, in: html) }

    static func log(_ command: String, latency: Int, outcome: CommandLogEntry.Outcome = .ok, ago: TimeInterval = 60,
                    user: Int64 = 1, errorID: String? = nil) -> CommandLogEntry {
        CommandLogEntry(userID: user, chatID: user, command: command, arguments: "", startedAt: now.addingTimeInterval(-ago),
                        latencyMilliseconds: latency, outcome: outcome, errorID: errorID)
    }

    /// `count` message updates from `first` on, received at `at`.
    static func record(_ store: BotStore, first: Int64, count: Int, at: Date) async throws {
        let json = "[" + (0..<Int64(count)).map {
            #"{"update_id":\#(first + $0),"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"x"}}"#
        }.joined(separator: ",") + "]"
        _ = try await store.record(try JSONDecoder().decode([UpdateSlot].self, from: Data(json.utf8)), receivedAt: at)
    }

    @Test func percentilesErrorRateAndUpdatesPerMinuteComeFromTheStore() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        // 1…100 ms: nearest rank gives p50 = 50, p95 = 95, p99 = 99; 3 of the 100 failed.
        for latency in 1...100 {
            try await rig.store.insertLog(Self.log("/positions", latency: latency, outcome: latency % 30 == 0 ? .error : .ok,
                                                   errorID: latency % 30 == 0 ? "E\(latency)" : nil))
        }
        // Older than 15 minutes: counted in the percentiles (24 h) but not in the error rate.
        try await rig.store.insertLog(Self.log("/start", latency: 5000, outcome: .error, ago: 3600))
        try await Self.record(rig.store, first: 1, count: 10, at: Self.now.addingTimeInterval(-120))
        try await Self.record(rig.store, first: 100, count: 7, at: Self.now.addingTimeInterval(-600))
        let html = try await rig.page()
        #expect(Self.value("latency-p50", in: html) == "51 ms")
        #expect(Self.value("latency-p95", in: html) == "96 ms")
        #expect(Self.value("latency-p99", in: html) == "100 ms")
        #expect(Self.value("latency-count", in: html) == "101")
        #expect(Self.value("error-rate", in: html) == "3.0 %")
        #expect(Self.value("updates-per-minute", in: html) == "2.0")
        #expect(Self.value("inbox-pending", in: html) == "17")
        #expect(Self.value("version", in: html) == "9.8.7-test")
        #expect(Self.value("uptime", in: html) == "3 h 2 min")
        #expect(Self.value("ready", in: html) == "yes")
        // The three failed commands and the old one, latest first, with their error ids.
        #expect(html.contains("<td class=\"mono\">E30</td>") && html.contains("<td class=\"mono\">E90</td>"))
        let failures = try #require(html.range(of: "id=\"failures\"")).upperBound
        #expect(html[failures...].components(separatedBy: "<tr>").count - 2 == 4)
    }

    @Test func usersCommandsAndConversationsAreCountedOverTheirPeriods() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        try await rig.store.touchUser(User(id: 1, firstName: "A"), now: Self.now.addingTimeInterval(-100))
        try await rig.store.touchUser(User(id: 2, firstName: "B"), now: Self.now.addingTimeInterval(-3 * 86_400))
        try await rig.store.touchUser(User(id: 3, firstName: "C"), now: Self.now.addingTimeInterval(-30 * 86_400))
        for latency in [10, 20, 30, 40] { try await rig.store.insertLog(Self.log("/start", latency: latency)) }
        try await rig.store.insertLog(Self.log("/positions", latency: 900, outcome: .error))
        // Ten days old: outside "most used (7 days)".
        try await rig.store.insertLog(Self.log("/positions", latency: 1, ago: 10 * 86_400))
        let html = try await rig.page()
        #expect(Self.value("users-total", in: html) == "3")
        #expect(Self.value("users-dau", in: html) == "1")
        #expect(Self.value("users-wau", in: html) == "2")
        #expect(html.contains("<tr><td>/start</td><td class=\"num\">4</td><td class=\"num\">100.0 %</td><td class=\"num\">40 ms</td></tr>"))
        #expect(html.contains("<tr><td>/positions</td><td class=\"num\">1</td><td class=\"num\">0.0 %</td><td class=\"num\">900 ms</td></tr>"))
        #expect(Self.value("conversations-started", in: html) == "0")
        #expect(html.contains("no conversations in the last 7 days"))
    }

    @Test func everythingFromTheStoreIsEscapedAndUnknownCommandsAreNeverNamed() async throws {
        let rig = try await Rig()
        defer { rig.stop() }
        try await Self.record(rig.store, first: 7, count: 1, at: Self.now.addingTimeInterval(-30))
        _ = try await rig.store.fail(updateID: 7, reason: "handler threw <script>alert('x')</script> & stopped",
                                     errorID: "ERR-<b>1</b>", notice: [], now: Self.now.addingTimeInterval(-20))
        try await rig.store.insertLog(Self.log("/looks_like_a_secret_abc123", latency: 3))
        let html = try await rig.page()
        #expect(!html.contains("<script"), "nothing from the store may open a tag")
        #expect(!html.contains("<b>1"))
        #expect(html.contains("handler threw &lt;script&gt;alert('x')&lt;/script&gt; &amp; stopped"))
        #expect(html.contains("ERR-&lt;b&gt;1&lt;/b&gt;"))
        #expect(!html.contains("looks_like_a_secret"))
        #expect(html.contains("<td>/(unknown)</td>"))
    }

    @Test func theAppsSectionsShowAndOneThatFailsSaysSo() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "breaker table <gone>" } }
        let rig = try await Rig(sections: [
            StatusSection("Broker circuit breakers") {
                StatusTable(header: ["Host", "State"], rows: [["broker.example:5000", "open"]])
            },
            StatusSection("Price alerts armed") { throw Broken() },
        ])
        defer { rig.stop() }
        let html = try await rig.page()
        #expect(html.contains("<section id=\"app-broker-circuit-breakers\"><h2>Broker circuit breakers</h2>"))
        #expect(html.contains("<tr><td>broker.example:5000</td><td>open</td></tr>"))
        #expect(html.contains("<section id=\"app-price-alerts-armed\">"))
        #expect(html.contains("could not be read: breaker table &lt;gone&gt;"))
    }

    @Test func thePageIsSelfContainedAndNeedsTheTokenWhenOneIsSet() async throws {
        let token = "status-page-token-0123456789abcdef"
        let rig = try await Rig(token: token)
        defer { rig.stop() }
        let refused = try await AdminScrape.get("/", port: rig.port)
        #expect(refused.status == 401)
        #expect(!refused.body.contains("pollbot status"))
        #expect(try await AdminScrape.get("/", port: rig.port, token: token + "x").status == 401)
        let html = try await rig.page(token: token)
        for section in ["overview", "traffic", "queues", "users", "commands", "conversations", "failures"] {
            #expect(html.contains("<section id=\"\(section)\">"), "section \(section)")
        }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"))
        // Offline: no script, no stylesheet, font or image fetched from anywhere.
        for fetched in ["<script", "src=", "href=", "@import", "url("] { #expect(!html.contains(fetched), "\(fetched)") }
        #expect(!html.contains(token))
    }

    @Test func withoutAStatusPageTheRootIsNotFound() async throws {
        let server = try AdminServer(settings: AdminSettings(address: AdminAddress(host: "127.0.0.1", port: 0)),
                                     metrics: BotMetrics(), readiness: Readiness([]))
        let running = Task { try await server.run() }
        defer { running.cancel() }
        #expect(try await AdminScrape.get("/", port: try await server.port()).status == 404)
    }
}
