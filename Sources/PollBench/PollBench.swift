import BotKit
import Foundation
import TestSupport

/// `make bench`: 5000 /start updates from 200 users pushed at once into the fake Telegram;
/// the release `pollbot` beside this binary runs as its own process so its RSS is its own.
@main
struct PollBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        if arguments.dropFirst().first == "charts" {
            try ChartBench.run(samplesDirectory: arguments.firstIndex(of: "--samples").map { arguments[$0 + 1] })
            return
        }
        if arguments.dropFirst().first == "alerts" {
            try await AlertBench.run()
            return
        }
        if arguments.dropFirst().first == "scrape" { return try await ScrapeBench.run(arguments: arguments) }
        if arguments.dropFirst().first == "analysis" {
            try AnalysisBench.run()
            try await AnalysisBench.replies()
            return
        }
        if arguments.dropFirst().first == "steady" {
            try await SteadyBench.run(arguments: arguments)
            return
        }
        if arguments.dropFirst().first == "floor-client", arguments.count >= 4 {
            await SteadyBench.floorClient(apiURL: arguments[2], token: arguments[3])
            return
        }
        let updates = arguments.firstIndex(of: "--updates").flatMap { Int(arguments[$0 + 1]) } ?? 5000
        let userCount = arguments.firstIndex(of: "--users").flatMap { Int(arguments[$0 + 1]) } ?? 200

        let (fake, directory, bot) = try await startBot("pollbot-bench")
        defer { directory.remove() }

        // Warm up: the bot is connected once it answers.
        await fake.sendText("/start", from: FakeUser(id: 1))
        guard await fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(30)).count == 1 else {
            print("pollbot did not answer; log:\n\(bot.output)")
            bot.signal(SIGKILL)
            return
        }

        // Start-up is over once the bot has released its start-up pages; the peak from here on is the burst's own.
        let released = await bot.waitForOutput("released resident pages", timeout: .seconds(30))
        let startupPeak = Self.statusKilobytes("VmHWM", pid: bot.pid)
        let peakReset = Self.resetPeak(pid: bot.pid)
        let idleRSS = Self.statusKilobytes("VmRSS", pid: bot.pid)
        let cpuBefore = Self.cpuMilliseconds(pid: bot.pid), fakeCPUBefore = ProcessFigures.cpuSeconds() * 1000
        let users = (1...userCount).map { FakeUser(id: 100_000 + Int64($0)) }
        var offered: [(update: Int64, chat: Int64)] = []
        let started = ContinuousClock.now
        for index in 0..<updates {
            let user = users[index % users.count]
            offered.append((await fake.sendText("/start", from: user), user.id))
        }
        let pushed = started.duration(to: .now)
        let calls = await fake.waitForCalls("sendMessage", count: updates + 1, timeout: .seconds(120))
        let peakRSS = Self.statusKilobytes("VmHWM", pid: bot.pid)
        let botCPU = Self.cpuMilliseconds(pid: bot.pid) - cpuBefore, fakeCPU = ProcessFigures.cpuSeconds() * 1000 - fakeCPUBefore
        bot.signal(SIGTERM)
        _ = await bot.waitForExit()
        await fake.stop()

        let replies = calls.dropFirst()
        guard replies.count == updates, let last = replies.map(\.receivedAt).max() else {
            print("only \(replies.count) of \(updates) replies arrived")
            return
        }
        var latencies = SteadyBench.replyLatencies(pushed: offered, pushTimes: await fake.pushTimes, replies: replies)
        latencies.sort()
        let total = started.duration(to: last)
        print("""
            pollbot benchmark: \(updates) /start updates from \(userCount) users, flood limits off
              pushed in        \(String(format: "%.0f", Self.milliseconds(pushed))) ms
              all answered in  \(String(format: "%.0f", Self.milliseconds(total))) ms
              throughput       \(String(format: "%.0f", Double(updates) / (Self.milliseconds(total) / 1000))) updates/s
              latency p50      \(String(format: "%.0f", latencies[latencies.count / 2])) ms
              latency p99      \(String(format: "%.0f", latencies[latencies.count * 99 / 100])) ms
              start-up peak    \(String(format: "%.1f", Double(startupPeak) / 1024)) MB (VmHWM before the burst)
              RSS after warm-up \(String(format: "%.1f", Double(idleRSS) / 1024)) MB (VmRSS before the burst\
            \(released ? ", start-up pages released" : "; start-up pages NOT released"))
              peak RSS         \(String(format: "%.1f", Double(peakRSS) / 1024)) MB (VmHWM of the pollbot process\
            \(peakReset ? " during the burst: reset before it" : " since its start: the reset failed"))
              CPU per update   pollbot \(String(format: "%.3f", botCPU / Double(updates))) ms, the bench and its fake \
            \(String(format: "%.3f", fakeCPU / Double(updates))) ms (utime + stime over the burst)
            """)
    }

    /// A fake Telegram without flood limits and the release `pollbot` on it, with its config in a fresh directory.
    static func startBot(_ prefix: String) async throws -> (FakeTelegram, TemporaryDirectory, BotProcess) {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory(prefix)
        let configPath = directory.file("bot.toml")
        try BotHarness.configText(fake: fake, directory: directory, floodLimits: false, pollTimeout: 25)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let bot = try BotProcess(configPath: configPath, logPath: directory.file("pollbot.log"),
                                 environment: ["POLLBOT_LOG_LEVEL": "info"])
        return (fake, directory, bot)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        duration.inSeconds * 1000
    }

    /// The CPU time (user + system) process `pid` has used so far, in ms, from /proc/PID/stat; 0 when unreadable.
    static func cpuMilliseconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resets the peak RSS (VmHWM) of process `pid` to its current RSS (clear_refs 5); returns whether it did.
    static func resetPeak(pid: Int32) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/\(pid)/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    /// A size line of /proc/PID/status (VmRSS, VmHWM), in kB.
    static func statusKilobytes(_ field: String, pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
