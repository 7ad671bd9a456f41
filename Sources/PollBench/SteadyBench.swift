import BotKit
import Foundation
import TestSupport

/// `pollbot-bench steady`: updates at a steady rate (3000 at 100/s from 500 users by default) against the fake
/// Telegram, answered by the release `pollbot` and, in the same run, by a minimal client (getUpdates → sendMessage,
/// no store): the floor. Prints both latency distributions and pollbot's distance above the floor.
enum SteadyBench {
    struct Options {
        var updates = 3000
        var rate = 100.0
        var users = 500
        var sequential = false

        init(_ arguments: [String]) {
            func value(_ name: String) -> String? { arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil } }
            if let text = value("--updates"), let number = Int(text), number > 0 { updates = number }
            if let text = value("--rate"), let number = Double(text), number.isFinite, number > 0, number <= 10_000 { rate = number }
            if let text = value("--users"), let number = Int(text), number > 0 { users = number }
            sequential = arguments.contains("--sequential")
        }
    }

    /// Percentiles of one phase, in milliseconds.
    struct Distribution {
        var p50, p90, p99, max: Double
        var count: Int

        init?(_ unsorted: [Double]) {
            guard !unsorted.isEmpty else { return nil }
            let sorted = unsorted.sorted()
            func at(_ fraction: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
            p50 = at(0.5); p90 = at(0.9); p99 = at(0.99); max = sorted[sorted.count - 1]; count = sorted.count
        }

        var row: String { String(format: "%7.2f %7.2f %7.2f %8.2f", p50, p90, p99, max) }
    }

    static func run(arguments: [String]) async throws {
        let options = Options(arguments)
        let (fake, directory, bot) = try await PollBench.startBot("pollbot-steady")
        defer { directory.remove() }
        // Side by side (the default), the floor client runs at the same time on a second fake of its own, so both
        // see the same load from the rest of the machine; --sequential runs it after pollbot on the same fake.
        let floorFake = options.sequential ? fake : try await FakeTelegram.start(floodLimits: false)
        let startFloor = {
            try BotProcess(configPath: directory.file("bot.toml"), logPath: directory.file("floor.log"),
                           executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                           arguments: ["floor-client", floorFake.apiURL, floorFake.token])
        }
        let floor: BotProcess
        let cpuBefore = PollBench.cpuMilliseconds(pid: bot.pid)
        var botCPU = 0.0
        let botLatencies: [Double]?
        let floorLatencies: [Double]?
        if options.sequential {
            // pollbot first: its SIGTERM confirms every update it took, so the floor client starts on an empty queue.
            botLatencies = await phase(fake: fake, process: bot, options: options)
            botCPU = PollBench.cpuMilliseconds(pid: bot.pid) - cpuBefore
            bot.signal(SIGTERM)
            _ = await bot.waitForExit()
            floor = try startFloor()
            floorLatencies = await phase(fake: floorFake, process: floor, options: options)
        } else {
            floor = try startFloor()
            async let botSide = phase(fake: fake, process: bot, options: options)
            async let floorSide = phase(fake: floorFake, process: floor, options: options)
            (botLatencies, floorLatencies) = await (botSide, floorSide)
            botCPU = PollBench.cpuMilliseconds(pid: bot.pid) - cpuBefore
            bot.signal(SIGTERM)
            _ = await bot.waitForExit()
            await floorFake.stop()
        }
        floor.signal(SIGKILL)
        _ = await floor.waitForExit()
        await fake.stop()

        guard let pollbot = botLatencies.flatMap(Distribution.init), let minimal = floorLatencies.flatMap(Distribution.init) else {
            print("steady benchmark incomplete: pollbot \(botLatencies?.count ?? 0), floor \(floorLatencies?.count ?? 0) of \(options.updates) replies")
            print("pollbot log:\n\(bot.output)\nfloor log:\n\(floor.output)")
            return
        }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        print("""
            steady benchmark: \(options.updates) /start updates at \(Int(options.rate))/s from \(options.users) users, flood limits off, \
            floor \(options.sequential ? "after pollbot on the same fake" : "side by side on a second fake")
            latency push → reply (ms)   p50     p90     p99      max
              pollbot                \(pollbot.row)
              floor (minimal client) \(minimal.row)
              pollbot above floor    p50 +\(String(format: "%.2f", pollbot.p50 - minimal.p50)) ms, p99 +\(String(format: "%.2f", pollbot.p99 - minimal.p99)) ms
              pollbot CPU per update \(String(format: "%.3f", botCPU / Double(options.updates + 1))) ms (utime + stime over the run, warm-up included)
              load average after     \(load)
            """)
    }

    /// Warms `process` up, pushes the paced updates and returns their latencies; nil when a reply is missing.
    private static func phase(fake: FakeTelegram, process: BotProcess, options: Options) async -> [Double]? {
        let before = await fake.sent("sendMessage").count
        await fake.sendText("/start", from: FakeUser(id: 1))
        guard await fake.waitForCalls("sendMessage", count: before + 1, timeout: .seconds(30)).count == before + 1 else { return nil }
        // Give the warm-up's outbox delete and the first poll time to settle, as a bot that has been idle would.
        try? await Task.sleep(for: .milliseconds(500))
        let users = (1...options.users).map { FakeUser(id: 200_000 + Int64($0)) }
        var pushed: [(update: Int64, chat: Int64)] = []
        let interval = Duration.seconds(1 / options.rate)
        let start = ContinuousClock.now
        for index in 0..<options.updates {
            try? await Task.sleep(until: start + interval * index, clock: .continuous)
            let user = users[index % users.count]
            pushed.append((await fake.sendText("/start", from: user), user.id))
        }
        let expected = before + 1 + options.updates
        let calls = await fake.waitForCalls("sendMessage", count: expected, timeout: .seconds(120))
        guard calls.count >= expected else { return nil }
        return replyLatencies(pushed: pushed, pushTimes: await fake.pushTimes, replies: calls.dropFirst(before + 1))
    }

    /// Push-to-reply times in ms: replies keep their order within a chat, so the k-th reply answers its k-th update.
    static func replyLatencies(pushed: [(update: Int64, chat: Int64)], pushTimes: [Int64: ContinuousClock.Instant],
                               replies: ArraySlice<SentCall>) -> [Double] {
        var pushesByChat: [Int64: [ContinuousClock.Instant]] = [:]
        for (update, chat) in pushed.sorted(by: { $0.update < $1.update }) {
            if let time = pushTimes[update] { pushesByChat[chat, default: []].append(time) }
        }
        var answered: [Int64: Int] = [:]
        var latencies: [Double] = []
        for reply in replies {
            guard let chat = reply.chatID, let pushes = pushesByChat[chat] else { continue }
            let k = answered[chat, default: 0]
            answered[chat] = k + 1
            guard k < pushes.count else { continue }
            latencies.append(pushes[k].duration(to: reply.receivedAt).inSeconds * 1000)
        }
        return latencies
    }

    /// The floor: the least a bot can do per update, with the engine's own HTTP stack (libcurl, one thread).
    static func floorClient(apiURL: String, token: String) async {
        struct Reply: Encodable {
            var chat_id: Int64
            var text: String
        }
        let client = TelegramClient(apiURL: apiURL, token: token)
        var offset: Int64 = 0
        while true {
            do {
                for slot in try await client.getUpdates(offset: offset, timeout: 25, allowedUpdates: ["message"]) {
                    guard let id = slot.updateID else { continue }
                    offset = max(offset, id + 1)
                    guard let chat = slot.update?.chatID else { continue }
                    _ = try await client.call("sendMessage", Reply(chat_id: chat, text: "ok"), as: Ignored.self)
                }
            } catch {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
