import BotKit
import Foundation
import Logging
import PollBot
import TestSupport

/// `pollbot-bench alerts`: one price-alert check cycle over 20,000 alerts of 10,000 users on 500 symbols in a real
/// SQLite file, run by the engine's job scheduler against the fake OpenAlgo's multiquotes over libcurl.
///
/// The bot's side runs in a child process (this binary again, told so by `childVariable`) so that its RSS is what the
/// bot would hold: the fake OpenAlgo and the seeding stay in the parent, which moves prices when the child asks.
/// The cycle's own work (reading the armed alerts, matching them against the quotes, building the fired messages and
/// committing them with the alerts' new state) is the cycle's wall time less the broker's: the same multiquotes
/// request timed alone, as the job sends it (one call for the host's 500 symbols).
enum AlertBench {
    static let users = 10_000
    static let alertsPerUser = 2
    static let symbols = 500
    /// Every alert is armed from this price; levels lie 1 to 100 above or below it.
    static let reference = 1000.0
    /// Symbols moved to `firingPrice`: each has 20 `above` alerts, so 50 of them fire 1,000 alerts.
    static let firingSymbols = 50
    static let firingPrice = 1200.0
    static let apiKey = "bench_alerts_key_0123456789abcdef0123456789abcdef"
    /// Set (to the bench's directory) in the child's environment; the fake's host goes in `hostVariable`.
    static let childVariable = "POLLBOT_ALERT_BENCH_DIR"
    static let hostVariable = "POLLBOT_ALERT_BENCH_HOST"

    static var instruments: [Instrument] { (0..<symbols).map { Instrument("SYM\($0)", "NSE") } }

    static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment[childVariable], let host = environment[hostVariable] {
            return try await BotSide(directory: path, host: host).run()
        }
        let fake = try await FakeOpenAlgo.start(validKeys: [apiKey])
        let directory = try TemporaryDirectory("pollbot-alert-bench")
        defer { directory.remove() }
        _ = try MasterKey.generate(to: directory.file("master.key"))
        let config = try self.config(directory: directory.path, host: fake.host)
        let vault = Vault(current: try MasterKey.load(from: config.security.keyFile))
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        for instrument in instruments { await fake.setQuote(instrument.symbol, ltp: reference) }
        let seeded = ContinuousClock.now
        try await store.seedAlertBench(vault: vault, host: fake.host, at: Date())
        let seeding = seeded.duration(to: .now)

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["alerts"]
        child.environment = environment.merging([childVariable: directory.path, hostVariable: fake.host]) { $1 }
        let requests = Pipe(), replies = Pipe()
        child.standardOutput = requests
        child.standardInput = replies
        try child.run()
        print("alert check benchmark: \(users) users, \(users * alertsPerUser) armed alerts on \(symbols) symbols, one host, real SQLite file")
        print("  seeding          \(format(PollBench.milliseconds(seeding))) ms (one transaction in the parent, not part of a cycle)")
        // The child's lines: a request ("? verb") the parent answers with one line, or a result line to print.
        while let line = await readLine(requests.fileHandleForReading) {
            guard line.hasPrefix("? ") else { print(line); continue }
            var answer = "ok"
            switch line.dropFirst(2) {
            case "calls": answer = "\(await fake.calls("multiquotes"))"
            case "fire": for instrument in instruments.prefix(firingSymbols) { await fake.setQuote(instrument.symbol, ltp: firingPrice) }
            case "calm": for instrument in instruments.prefix(firingSymbols) { await fake.setQuote(instrument.symbol, ltp: reference) }
            default: answer = "unknown request"
            }
            replies.fileHandleForWriting.write(Data((answer + "\n").utf8))
        }
        child.waitUntilExit()
        await fake.stop()
        guard child.terminationStatus == 0 else { throw BenchFailure("the bot's side exited with \(child.terminationStatus)") }
    }

    /// The bench's configuration: the bot's file and key in `directory`, quotes from `host`, checks at any hour.
    static func config(directory: String, host: String) throws -> BotConfig {
        try ConfigLoader.parse("""
            [telegram]
            token = "123456:BENCH"
            [storage]
            path = "\(directory)/pollbot.sqlite3"
            [security]
            key_file = "\(directory)/master.key"
            [broker]
            host = "\(host)"
            [alerts]
            max_per_user = \(alertsPerUser)
            market_hours_only = false
            """)
    }

    /// One line from `handle` without its newline; nil at the end. Read off the cooperative pool: it blocks.
    static func readLine(_ handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while true {
                    let data = handle.readData(ofLength: 1)
                    guard let byte = data.first else { return continuation.resume(returning: bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)) }
                    if byte == UInt8(ascii: "\n") { return continuation.resume(returning: String(decoding: bytes, as: UTF8.self)) }
                    bytes.append(byte)
                }
            }
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    struct BenchFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension AlertBench {
    /// The bot's part, in the child: the app's services and scheduler over the seeded file, cycles timed, its own RSS.
    struct BotSide {
        var directory: String
        var host: String

        /// Asks the parent for `verb` (prices moved, calls counted) and waits for its one-line answer.
        func ask(_ verb: String) throws -> String {
            FileHandle.standardOutput.write(Data("? \(verb)\n".utf8))
            guard let answer = Swift.readLine() else { throw BenchFailure("the parent went away") }
            return answer
        }

        func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

        func run() async throws {
            let config = try AlertBench.config(directory: directory, host: host)
            let vault = Vault(current: try MasterKey.load(from: config.security.keyFile))
            let app = TraderApp.app(config: config)
            let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
            // The app's own start-up: services built as the bot builds them, which schedules its jobs.
            let services = try await app.makeServices(store, vault)
            // Only the price check is measured: the other jobs (order watch, summaries) would read 10,000 order books.
            try await store.keepOnlyJob("price_alerts")
            // The app scheduled its jobs at the wall clock's now, so the bench's manual clock starts there (any hour: the
            // market-hours window is off, it would only skip cycles).
            let clock = ManualDate(Date())
            let scheduler = JobScheduler(store: store, registry: app.jobs, services: services, windows: app.jobWindows(services),
                                         logger: Logger(label: "bench.alerts"), now: { clock.now })
            let interval = TimeInterval(config.alerts.checkInterval)

            var cpu: [Double] = []
            /// One cycle: the clock moves to the next check and every due job runs; returns its wall time in ms and
            /// keeps its CPU time (this process's only: the fake answers in the parent), which the load barely moves.
            func cycle() async throws -> Double {
                // A millisecond past the due time, as the scheduler's own loop wakes: the stored time is a REAL of seconds
                // since 1970, and read back it can lie a rounding step after a clock moved by exactly the interval.
                clock.advance(by: interval + 0.001)
                let started = ContinuousClock.now, startedCPU = ProcessFigures.cpuSeconds() * 1000
                let ran = await scheduler.runDue()
                guard ran == 1 else {
                    // Say why: a failed run is backed off (its error), or the job is not due (its next time).
                    let jobs = try await store.jobs().map { "\($0.kind) next \($0.nextRunAt.timeIntervalSince(clock.now)) s" }
                    let job = try await store.jobs(kind: "price_alerts").first
                    throw BenchFailure("""
                        \(ran) jobs ran, not the price alert job alone (failures \(job?.failures ?? 0), last error: \
                        \(job?.lastError ?? "none"); jobs: \(jobs.joined(separator: ", ")))
                        """)
                }
                cpu.append(ProcessFigures.cpuSeconds() * 1000 - startedCPU)
                return PollBench.milliseconds(started.duration(to: .now))
            }

            let instruments = AlertBench.instruments
            let client = OpenAlgoClient(host: host, apiKey: AlertBench.apiKey)
            func brokerCall() async throws -> Double {
                let started = ContinuousClock.now
                guard try await client.quotes(instruments).count == symbols else { throw BenchFailure("multiquotes lost symbols") }
                return PollBench.milliseconds(started.duration(to: .now))
            }

            // Warm-up: statements prepared, the file's pages cached, libcurl's connection open.
            _ = try await cycle()
            _ = try await brokerCall()
            let quietCalls = Int(try ask("calls")) ?? 0
            var quiet: [Double] = [], broker: [Double] = []
            cpu.removeAll()
            for _ in 0..<7 {
                quiet.append(try await cycle())
                broker.append(try await brokerCall())
            }
            let callsPerCycle = ((Int(try ask("calls")) ?? 0) - quietCalls - broker.count) / quiet.count
            guard try await store.outboxCount() == 0 else { throw BenchFailure("an alert fired at the arming price") }
            let quietCPU = median(cpu)
            cpu.removeAll()

            var firing: [Double] = [], fired: [Int] = []
            for _ in 0..<5 {
                _ = try ask("fire")
                firing.append(try await cycle())
                fired.append(try await store.outboxCount())
                // Back to the start: prices at the reference, the alerts armed again, the outbox emptied.
                _ = try ask("calm")
                try await store.resetAlertBench()
            }
            let peak = PollBench.statusKilobytes("VmHWM", pid: getpid())
            let rss = PollBench.statusKilobytes("VmRSS", pid: getpid())
            let brokerMedian = median(broker)
            say("""
                  multiquotes      \(callsPerCycle) call(s) per cycle; alone \(format(brokerMedian)) ms median (the broker's time)
                  nothing fires    cycle p50 \(format(median(quiet))) ms, max \(format(quiet.max() ?? 0)) ms; own work p50 \(format(median(quiet) - brokerMedian)) ms; CPU p50 \(format(quietCPU)) ms
                  \(fired.min() ?? 0)-\(fired.max() ?? 0) fire     cycle p50 \(format(median(firing))) ms, max \(format(firing.max() ?? 0)) ms; own work p50 \(format(median(firing) - brokerMedian)) ms; CPU p50 \(format(median(cpu))) ms
                  RSS              \(format(Double(rss) / 1024)) MB now, peak \(format(Double(peak) / 1024)) MB (VmHWM of the bot's process: store, services, scheduler; no fake, no seeding)
                """)
        }
    }
}

/// The benchmark's set-up, written straight into the tables in one transaction: 10,000 users through /alert would
/// measure the commands, not the check.
extension BotStore {
    /// Users, one linked account each (sealed as /link seals it) and two alerts each, armed from `AlertBench.reference`.
    func seedAlertBench(vault: Vault, host: String, at time: Date) throws {
        let now = time.timeIntervalSince1970
        try db.transaction {
            for index in 0..<AlertBench.users {
                let user = Int64(1_000_000 + index)
                try db.run("INSERT INTO users(user_id, active_account, first_seen, last_active) VALUES(?, 'main', ?, ?)",
                           .integer(user), .real(now), .real(now))
                let sealed = vault.seal(AlertBench.apiKey, userID: user, account: "main", host: host)
                try db.run("""
                    INSERT INTO accounts(user_id, name, host, sealed_key, key_id, key_hint, linked_at) VALUES(?, 'main', ?, ?, ?, 'cdef', ?)
                    """, .integer(user), .text(host), .blob(sealed.box), .text(sealed.keyID), .real(now))
                for slot in 0..<AlertBench.alertsPerUser {
                    // Alert n is on symbol n % 500; per symbol, half the alerts wait above the price and half below.
                    let n = index * AlertBench.alertsPerUser + slot
                    let side = (n / AlertBench.symbols) % 2 == 0 ? "above" : "below"
                    let distance = Double(1 + (n / AlertBench.symbols) % 100)
                    try db.run("""
                        INSERT INTO price_alerts(user_id, chat_id, account, host, symbol, exchange, kind, level, direction,
                            reference_price, created_at) VALUES(?, ?, 'main', ?, ?, 'NSE', ?, ?, ?, ?, ?)
                        """, .integer(user), .integer(user), .text(host), .text("SYM\(n % AlertBench.symbols)"), .text(side),
                               .real(side == "above" ? AlertBench.reference + distance : AlertBench.reference - distance),
                               .text(side), .real(AlertBench.reference), .real(now))
                }
            }
        }
    }

    /// Removes every job but `kind`'s.
    func keepOnlyJob(_ kind: String) throws {
        try db.run("DELETE FROM jobs WHERE kind != ?", .text(kind))
    }

    /// Arms the fired alerts again and empties the outbox, for the next firing cycle.
    func resetAlertBench() throws {
        try db.transaction {
            try db.run("UPDATE price_alerts SET state = 'armed', fired_at = NULL, fired_price = NULL WHERE state = 'fired'")
            try db.run("DELETE FROM outbox")
        }
    }
}
