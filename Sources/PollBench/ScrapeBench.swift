import BotKit
import Foundation
import TestSupport

/// `pollbot-bench scrape`: what the admin listener costs the real `pollbot` (release, a child process) under the
/// burst. Each round runs the same burst once per mode, in turn, so the machine's load drifts over all modes alike:
/// the listener off; on with Prometheus's 5 s scrape of /metrics (and an operator's one look at / and /readyz); on
/// with /metrics every 0.5 s; and on with all three pages every 0.5 s. Before each burst the idle bot's RSS is read
/// after the same pause, and in the listener modes after three scrapes of each page, so the two sizes compare.
enum ScrapeBench {
    /// One way of running the burst.
    struct Mode: Sendable {
        var name: String
        /// nil: no `[admin]` section at all.
        var period: Duration?
        /// Whether / and /readyz are fetched every period too, not only once.
        var everyPage: Bool
    }

    /// What one burst measured.
    struct Outcome {
        var updatesPerSecond: Double
        var lost: Int
        var duplicated: Int
        /// VmRSS and RssAnon of the idle bot, in kB, after the warm-up (and the scrapes).
        var idleRSS: Int
        var idleAnon: Int
        /// VmRSS in kB before the first scrape and after three GETs of each page, in that order.
        var rssSteps: [(String, Int)]
        /// Scrape durations during the burst by path, in ms.
        var scrapes: [String: [Double]]
    }

    static let modes = [
        Mode(name: "listener off", period: nil, everyPage: false),
        Mode(name: "/metrics every 5 s", period: .seconds(5), everyPage: false),
        Mode(name: "/metrics every 0.5 s", period: .milliseconds(500), everyPage: false),
        Mode(name: "all pages every 0.5 s", period: .milliseconds(500), everyPage: true),
    ]

    /// `--updates N` (5000), `--users N` (200) and `--rounds N` (3), the first two as the plain burst takes them.
    static func run(arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
        }
        try await run(updates: max(1, option("--updates", 5000)), users: max(1, option("--users", 200)), rounds: max(1, option("--rounds", 3)))
    }

    static func run(updates: Int, users: Int, rounds: Int) async throws {
        print("admin listener under load: \(updates) /start updates from \(users) users, \(rounds) round(s), load average \(loadAverage())")
        var results: [[Outcome]] = Array(repeating: [], count: modes.count)
        for round in 1...rounds {
            for (index, mode) in modes.enumerated() {
                let outcome = try await burst(mode, updates: updates, users: users)
                results[index].append(outcome)
                print(String(format: "  round %d  %@ %5.0f updates/s  lost %d  duplicated %d  idle RSS %.1f MB (anon %.1f MB)%@",
                             round, padded(mode.name) as NSString, outcome.updatesPerSecond, outcome.lost, outcome.duplicated,
                             Double(outcome.idleRSS) / 1024, Double(outcome.idleAnon) / 1024, describe(outcome.scrapes) as NSString))
                if outcome.rssSteps.count > 1 {
                    let deltas = zip(outcome.rssSteps, outcome.rssSteps.dropFirst()).map { before, after in
                        String(format: "%@ %+.2f", after.0, Double(after.1 - before.1) / 1024)
                    }
                    print("           VmRSS MB from idle \(String(format: "%.1f", Double(outcome.rssSteps[0].1) / 1024)): " + deltas.joined(separator: ", "))
                }
            }
            print("  load average \(loadAverage())")
        }
        let baseline = median(results[0].map(\.updatesPerSecond))
        let baseRSS = median(results[0].map { Double($0.idleRSS) }), baseAnon = median(results[0].map { Double($0.idleAnon) })
        print("medians over \(rounds) round(s):")
        for (index, mode) in modes.enumerated() {
            let throughput = median(results[index].map(\.updatesPerSecond))
            let rss = median(results[index].map { Double($0.idleRSS) }), anon = median(results[index].map { Double($0.idleAnon) })
            print(String(format: "  %@ %5.0f updates/s (%+.1f %%)  idle RSS %.1f MB (%+.2f MB, anon %+.2f MB)  lost %d  duplicated %d",
                         padded(mode.name) as NSString, throughput, (throughput / baseline - 1) * 100, rss / 1024, (rss - baseRSS) / 1024,
                         (anon - baseAnon) / 1024, results[index].map(\.lost).reduce(0, +), results[index].map(\.duplicated).reduce(0, +)))
        }
        print("  load average \(loadAverage())")
    }

    /// A fresh fake and a fresh bot, a warm-up, the idle RSS, then the burst with the mode's scraper beside it.
    static func burst(_ mode: Mode, updates: Int, users userCount: Int) async throws -> Outcome {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory("pollbot-bench")
        defer { directory.remove() }
        let configPath = directory.file("bot.toml")
        // Port 0: the kernel picks a free one and the bot logs it (notice), in every mode so logging costs the same.
        let admin = mode.period == nil ? "" : "[admin]\nlisten = \"127.0.0.1:0\"\n"
        try BotHarness.configText(fake: fake, directory: directory, floodLimits: false, pollTimeout: 25, extra: admin)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let bot = try BotProcess(configPath: configPath, logPath: directory.file("pollbot.log"),
                                 environment: ["POLLBOT_LOG_LEVEL": "notice"])
        defer { bot.signal(SIGKILL) }

        await fake.sendText("/start", from: FakeUser(id: 1))
        guard await fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(30)).count == 1 else {
            throw BenchFailure("pollbot did not answer; log:\n\(bot.output)")
        }
        var port: UInt16?
        if mode.period != nil {
            let marker = "admin listener on http://127.0.0.1:"
            guard await bot.waitForOutput(marker),
                  let tail = bot.output.components(separatedBy: marker).last?.prefix(while: \.isNumber), let found = UInt16(tail) else {
                throw BenchFailure("the admin listener did not start; log:\n\(bot.output)")
            }
            port = found
        }
        try await Task.sleep(for: .seconds(1))
        // Which page brings in what: VmRSS after three GETs of each, in turn.
        var steps: [(String, Int)] = [("idle", PollBench.statusKilobytes("VmRSS", pid: bot.pid))]
        if let port {
            for path in ["/healthz", "/metrics", "/readyz", "/"] {
                for _ in 0..<3 { _ = try await AdminScrape.get(path, port: port) }
                steps.append((path, PollBench.statusKilobytes("VmRSS", pid: bot.pid)))
            }
        }
        let idleRSS = PollBench.statusKilobytes("VmRSS", pid: bot.pid), idleAnon = PollBench.statusKilobytes("RssAnon", pid: bot.pid)

        let scraper = port.map { port in Task { await scrape(port: port, period: mode.period!, everyPage: mode.everyPage) } }
        let users = (1...userCount).map { FakeUser(id: 100_000 + Int64($0)) }
        var pushesByChat: [Int64: Int] = [:]
        let started = ContinuousClock.now
        for index in 0..<updates {
            let user = users[index % users.count]
            await fake.sendText("/start", from: user)
            pushesByChat[user.id, default: 0] += 1
        }
        let calls = await fake.waitForCalls("sendMessage", count: updates + 1, timeout: .seconds(120))
        scraper?.cancel()
        let scrapes = await scraper?.value ?? [:]
        guard let last = calls.dropFirst().map(\.receivedAt).max() else { throw BenchFailure("no reply arrived") }
        // A late duplicate would come after the last expected reply: give it a moment to show up.
        try await Task.sleep(for: .milliseconds(500))
        var repliesByChat: [Int64: Int] = [:]
        for call in await fake.sent("sendMessage").dropFirst() { repliesByChat[call.chatID ?? 0, default: 0] += 1 }
        var lost = 0, duplicated = 0
        for (chat, pushed) in pushesByChat {
            let answered = repliesByChat[chat, default: 0]
            lost += max(0, pushed - answered)
            duplicated += max(0, answered - pushed)
        }
        duplicated += repliesByChat.filter { pushesByChat[$0.key] == nil }.values.reduce(0, +)
        bot.signal(SIGTERM)
        _ = await bot.waitForExit()
        await fake.stop()
        return Outcome(updatesPerSecond: Double(updates) / started.duration(to: last).inSeconds, lost: lost,
                       duplicated: duplicated, idleRSS: idleRSS, idleAnon: idleAnon, rssSteps: steps, scrapes: scrapes)
    }

    /// Scrapes until cancelled: /metrics every `period` from the start, / and /readyz once a little later (when the
    /// burst is in full swing) or every period with `everyPage`. Returns each request's time in ms by path.
    static func scrape(port: UInt16, period: Duration, everyPage: Bool) async -> [String: [Double]] {
        var times: [String: [Double]] = [:]
        func get(_ path: String) async {
            let start = ContinuousClock.now
            guard let (status, _) = try? await AdminScrape.get(path, port: port), status == 200 else {
                // A request cut short by the end of the burst is not a failure of the listener.
                if !Task.isCancelled { times["failed " + path, default: []].append(0) }
                return
            }
            times[path, default: []].append(start.duration(to: .now).inSeconds * 1000)
        }
        let start = ContinuousClock.now
        var tick = 0
        while !Task.isCancelled {
            await get("/metrics")
            if everyPage || tick == 0 {
                if !everyPage { try? await Task.sleep(for: .milliseconds(300)) }
                await get("/")
                await get("/readyz")
            }
            tick += 1
            try? await Task.sleep(until: start + period * tick, clock: .continuous)
        }
        return times
    }

    static func padded(_ name: String) -> String {
        name.padding(toLength: 22, withPad: " ", startingAt: 0)
    }

    static func describe(_ scrapes: [String: [Double]]) -> String {
        scrapes.sorted { $0.key < $1.key }.map { path, times in
            String(format: "  %@ ×%d max %.0f ms", path as NSString, times.count, times.max() ?? 0)
        }.joined()
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }
}

/// A benchmark that could not run as planned, with the reason.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
