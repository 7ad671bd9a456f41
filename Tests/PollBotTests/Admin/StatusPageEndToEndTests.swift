import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The real bot's status page after real commands: over libcurl always, and in a real headless Chromium when
/// `POLLBOT_BROWSER_TEST` is set (`scripts/browser-test.sh`, `make browser-test`).
@Suite struct StatusPageEndToEndTests {
    let alice = FakeUser(id: 2001, firstName: "Alice")
    let bob = FakeUser(id: 2002, firstName: "Bob")

    /// A bot with its admin listener and the paper broker, after a few users' commands, an armed alert and a
    /// conversation; returns once every reply went out.
    func busyBot() async throws -> (BotHarness, UInt16) {
        let (harness, port) = try await MetricsEndToEndTests.start()
        let commands: [(String, FakeUser)] = [("/start", alice), ("/funds", alice), ("/positions", alice), ("/help", bob),
                                              ("/funds", bob), ("/alert RELIANCE above 99999", alice), ("/analyze", bob),
                                              ("/cancel", bob), ("/nosuch", bob), ("/holdings", alice)]
        for (index, (text, user)) in commands.enumerated() {
            await harness.fake.sendText(text, from: user)
            _ = await harness.fake.waitForCalls("sendMessage", count: index + 1)
        }
        return (harness, port)
    }

    static func value(_ id: String, in html: String) -> String? {
        StatusPageCells.value(id, in: html)
    }

    @Test func theRealBotsPageShowsItsFiguresAndTheAppsSections() async throws {
        let (harness, port) = try await busyBot()
        let page = try await AdminScrape.get("/", port: port)
        await harness.shutdown()
        #expect(page.status == 200)
        let html = page.body
        #expect(Self.value("users-total", in: html) == "2")
        #expect(Self.value("users-dau", in: html) == "2")
        #expect(Self.value("version", in: html) == TraderStatus.version)
        #expect(Self.value("ready", in: html) == "yes")
        #expect(Self.value("latency-p50", in: html)?.wholeMatch(of: /\d+ ms/) != nil)
        #expect(Double(Self.value("updates-per-minute", in: html) ?? "") == 2.0, "10 updates in the last 5 minutes")
        #expect(html.contains("<td>/funds</td><td class=\"num\">2</td><td class=\"num\">100.0 %</td>"))
        #expect(html.contains("<td>/(unknown)</td>") && !html.contains("nosuch"))
        #expect(html.contains("<section id=\"app-broker-circuit-breakers\">"))
        #expect(html.contains("every breaker closed"))
        #expect(html.contains("<section id=\"app-price-alerts-armed\">"))
        #expect(html.contains("<tr><td>1</td><td>1</td></tr>"), "one alert armed, one user with alerts")
        #expect(!html.contains(harness.fake.token))
    }

    @Test func theBreakerRowsNameEachFailingHostsStateAndClearOnSuccess() async throws {
        let clock = ManualDate(Date(timeIntervalSince1970: 1_750_000_000))
        let breaker = CircuitBreaker(threshold: 2, coolDown: 30, now: { clock.now })
        await breaker.record("a.example:5000", failed: true)
        await breaker.record("b.example:5000", failed: true)
        await breaker.record("b.example:5000", failed: true)
        #expect(await breaker.hostStates().map { "\($0.host) \($0.state) \($0.failures)" }
                == ["a.example:5000 closed 1", "b.example:5000 open 0"])
        clock.advance(by: 31)
        try await breaker.admit("b.example:5000")
        #expect(await breaker.hostStates().last?.state == "half-open")
        await breaker.record("b.example:5000", failed: false)
        await breaker.record("a.example:5000", failed: false)
        #expect(await breaker.hostStates().isEmpty)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["POLLBOT_BROWSER_TEST"] != nil,
                   "set POLLBOT_BROWSER_TEST=1 with chromium installed (make browser-test)"))
    func chromiumRendersEverySectionWithRealNumbers() async throws {
        let (harness, port) = try await busyBot()
        let browser = try HeadlessChromium()
        defer { browser.remove() }
        do {
            try #require(HeadlessChromium.path != nil, "chromium is not installed")
            try await checkInChromium(browser, port: port)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    private func checkInChromium(_ browser: HeadlessChromium, port: UInt16) async throws {
        let url = "http://127.0.0.1:\(port)/"
        let dom = try await browser.run(["--dump-dom", url])
        for section in ["overview", "traffic", "queues", "users", "commands", "conversations", "failures",
                        "app-broker-circuit-breakers", "app-price-alerts-armed"] {
            #expect(dom.contains("<section id=\"\(section)\">"), "section \(section) rendered")
        }
        #expect(Self.value("users-total", in: dom) == "2")
        #expect(Double(Self.value("updates-per-minute", in: dom) ?? "") ?? 0 > 0)
        #expect(Self.value("latency-p95", in: dom)?.wholeMatch(of: /\d+ ms/) != nil)
        #expect(Self.value("error-rate", in: dom)?.wholeMatch(of: /\d+\.\d %/) != nil)
        #expect(Self.value("conversations-started", in: dom) != "0", "the /analyze conversation counts")
        #expect(dom.contains("<td>/funds</td>"))
        let shot = ProcessInfo.processInfo.environment["POLLBOT_SCREENSHOT"] ?? browser.directory.file("status-page.png")
        _ = try await browser.run(["--screenshot=\(shot)", "--window-size=1200,1600", "--hide-scrollbars", url])
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(png.count > 20_000, "a rendered page, not a blank one")
    }
}

/// Debian's `chromium` run headless with a throw-away profile.
struct HeadlessChromium {
    /// `POLLBOT_CHROMIUM`, else Debian's path.
    static var path: String? {
        let given = ProcessInfo.processInfo.environment["POLLBOT_CHROMIUM"].map { [$0] } ?? []
        return (given + ["/usr/bin/chromium"]).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    /// Runs chromium with `arguments` and returns what it printed; throws when it fails or takes over 60 s.
    func run(_ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.path))
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(directory.file("profile"))"] + arguments
        let output = directory.file("out-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        let finished = AsyncStream<Int32> { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        try process.run()
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            kill(pid, SIGTERM)
        }
        defer { watchdog.cancel() }
        var status: Int32 = -1
        for await code in finished { status = code }
        try #require(status == 0, "chromium exited with \(status)")
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    func remove() { directory.remove() }
}
