import BotKit
import Foundation
import Synchronization
@testable import PollBot
import TestSupport
import Testing

/// The real `pollbot` binary with price alerts armed, the fake OpenAlgo's prices moved across their levels, and the
/// bot killed with SIGKILL while it checks them and while it sends what fired. However the kills fall, every crossed
/// alert fires once (one commit: its row and its message) and reaches Telegram, no other alert fires, and the only
/// repeats are the outbox's: a message Telegram took just before a kill, sent again word for word after the restart.
@Suite(.serialized) struct AlertKillProcessTests {
    static let symbols = (0..<6).map { "KILL\($0)" }
    static let base = 1000.0
    static let userIDs = (0..<30).map { Int64(8100 + $0) }

    /// Alert n (4 per user) is on symbol n % 6, waiting above or below the base price by 10 to 100.
    struct Planned {
        var user: Int64
        var symbol: String
        var kind: PriceAlert.Kind
        var level: Double
    }

    static let planned: [Planned] = (0..<(userIDs.count * 4)).map { n in
        let distance = Double(10 * (1 + (n / 12) % 10))
        let above = (n / 6) % 2 == 0
        return Planned(user: userIDs[n / 4], symbol: symbols[n % 6], kind: above ? .above : .below,
                       level: above ? base + distance : base - distance)
    }

    /// Round r's price: even symbols climb and odd ones fall by 15 a round, so after six rounds levels up to 90 away
    /// on the moving side are crossed, and those 100 away or on the other side never are.
    static func price(_ symbol: String, round: Int) -> Double {
        let index = symbols.firstIndex(of: symbol) ?? 0
        return index.isMultiple(of: 2) ? base + 15 * Double(round) : base - 15 * Double(round)
    }

    /// The fakes, a bot.toml with a 5 s check at any hour, and every bot process started on it.
    final class Rig: Sendable {
        let telegram: FakeTelegram
        let broker: FakeOpenAlgo
        let directory: TemporaryDirectory
        let configPath: String
        private let started = Mutex<[BotProcess]>([])

        private init(telegram: FakeTelegram, broker: FakeOpenAlgo, directory: TemporaryDirectory, configPath: String) {
            self.telegram = telegram
            self.broker = broker
            self.directory = directory
            self.configPath = configPath
        }

        /// Runs `body` on a fresh rig and tears it down however `body` ends: no bot process outlives the test.
        static func run(allowed: [Int64] = [], _ body: (Rig) async throws -> Void) async throws {
            try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
            let telegram = try await FakeTelegram.start(floodLimits: false)
            let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
            let directory = try TemporaryDirectory("pollbot-alertkill")
            let configPath = directory.file("bot.toml")
            try BotHarness.configText(fake: telegram, directory: directory, floodLimits: false, extra: """
                allowed_users = [\(allowed.map(String.init).joined(separator: ", "))]
                [broker]
                host = "\(broker.host)"
                [alerts]
                check_interval = 5
                market_hours_only = false
                """).write(toFile: configPath, atomically: true, encoding: .utf8)
            let rig = Rig(telegram: telegram, broker: broker, directory: directory, configPath: configPath)
            do {
                try await body(rig)
            } catch {
                await rig.close()
                throw error
            }
            await rig.close()
        }

        func start() throws -> BotProcess {
            let run = started.withLock { $0.count + 1 }
            let bot = try BotProcess(configPath: configPath, logPath: directory.file("run\(run).log"), environment: ["POLLBOT_LOG_LEVEL": "notice"])
            started.withLock { $0.append(bot) }
            return bot
        }

        /// The database as the bot leaves it, opened with the bot's master key.
        func store() async throws -> BotStore {
            let vault = Vault(current: try MasterKey.load(from: directory.file("master.key")))
            return try await TraderApp.openStore(path: directory.file("pollbot.sqlite3"), vault: vault)
        }

        /// Links `BrokerRig.apiKey` for every user and arms the planned alerts as /alert stores them; returns their ids in plan order.
        func seed(_ plan: [Planned]) async throws -> [Int64] {
            let store = try await store()
            let vault = Vault(current: try MasterKey.load(from: directory.file("master.key")))
            for user in Set(plan.map(\.user)) {
                try await store.saveAccount(LinkedAccount(userID: user, name: "main", host: broker.host,
                                                          sealed: vault.seal(BrokerRig.apiKey, userID: user, account: "main", host: broker.host),
                                                          keyHint: "4e5f", linkedAt: Date()))
            }
            var ids: [Int64] = []
            for alert in plan {
                ids.append(try await store.armAlert(userID: alert.user, chatID: alert.user, account: "main", host: broker.host,
                                                    instrument: Instrument(alert.symbol, "NSE"), kind: alert.kind, level: alert.level,
                                                    direction: alert.kind == .above ? .above : .below, referencePrice: base, limit: 50,
                                                    now: Date()))
            }
            return ids
        }

        /// Every alert message Telegram accepted so far: the alert id its text names, and when it arrived.
        func alertMessages() async -> [(id: Int64, chat: Int64?, text: String, at: ContinuousClock.Instant)] {
            await telegram.sent("sendMessage").compactMap { call in
                guard let text = call.visibleText, let match = text.firstMatch(of: /Alert #(\d+), account/) else { return nil }
                return (Int64(match.1) ?? -1, call.chatID, text, call.receivedAt)
            }
        }

        /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
        func waitFor(_ timeout: Duration = .seconds(15), _ condition: () async -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if await condition() { return true }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return await condition()
        }

        func close() async {
            for bot in started.withLock({ $0 }) where bot.isRunning {
                bot.signal(SIGKILL)
                _ = await bot.waitForExit()
            }
            await telegram.stop()
            await broker.stop()
            directory.remove()
        }
    }

    @Test func killsWhileAlertsAreCheckedAndSentLoseNoneAndFireNoneTwice() async throws {
        try await Rig.run { rig in
            for symbol in Self.symbols { await rig.broker.setQuote(symbol, ltp: Self.base) }
            let ids = try await rig.seed(Self.planned)
            let crossed = Set(zip(ids, Self.planned).filter { _, alert in
                let final = Self.price(alert.symbol, round: 6)
                return alert.kind == .above ? final >= alert.level : final <= alert.level
            }.map(\.0))
            try #require(crossed.count > 30 && crossed.count < ids.count - 30, "the plan should cross some alerts and not others")

            var bot = try rig.start()
            // When each killed bot was seen dead and the next started: copies on both sides came from two processes.
            var restarts: [ContinuousClock.Instant] = []
            var log: [String] = []
            for round in 1...6 {
                let checks = await rig.broker.calls("multiquotes")
                let delivered = await rig.alertMessages().count
                for symbol in Self.symbols { await rig.broker.setQuote(symbol, ltp: Self.price(symbol, round: round)) }
                // Odd rounds kill during a check (after the quotes were asked for, before or while the run commits);
                // even rounds kill while the fired messages are going out.
                let during = round.isMultiple(of: 2) ? "send" : "check"
                let reached = await rig.waitFor {
                    during == "check" ? await rig.broker.calls("multiquotes") > checks : await rig.alertMessages().count > delivered
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: during == "check" ? 0...40 : 0...3)))
                bot.signal(SIGKILL)
                #expect(await bot.waitForExit() == SIGKILL)
                restarts.append(.now)
                log.append("round \(round): killed during \(during)\(reached ? "" : " (never reached)"), \(await rig.alertMessages().count) sent")
                bot = try rig.start()
            }

            // The last bot delivers whatever is left; one more whole check after that shows nothing else fires.
            let allArrived = await rig.waitFor(.seconds(25)) { crossed.isSubset(of: Set(await rig.alertMessages().map(\.id))) }
            let checks = await rig.broker.calls("multiquotes")
            #expect(await rig.waitFor(.seconds(12)) { await rig.broker.calls("multiquotes") > checks + 1 }, "the bot stopped checking")
            bot.signal(SIGTERM)
            #expect(await bot.waitForExit() == 0)

            let messages = await rig.alertMessages()
            let sent = Set(messages.map(\.id))
            #expect(allArrived, "never sent: \(crossed.subtracting(sent).sorted()); \(log)")
            #expect(sent.subtracting(crossed).isEmpty, "fired without crossing: \(sent.subtracting(crossed).sorted())")
            // The one repeat the outbox allows: a message Telegram took from the killed bot before it could remove the row,
            // sent again word for word by the next bot (at most one per chat in flight, 16 at once). An alert
            // fired twice would come from a second check, with that check's time in its text.
            var last: [Int64: (text: String, at: ContinuousClock.Instant)] = [:]
            var repeatsPerKill = Array(repeating: 0, count: restarts.count)
            for message in messages {
                defer { last[message.id] = (message.text, message.at) }
                guard let earlier = last[message.id] else { continue }
                #expect(message.text == earlier.text, "alert \(message.id) fired twice: \(earlier.text) / \(message.text)")
                // A copy the killed bot had already written to its socket reaches the fake (which runs in this test's
                // process) when the fake gets to it, which under load can be a little after the restart was recorded.
                // The copy again came from the bot started at the last restart before it; the first copy must be older.
                let kill = restarts.lastIndex { $0 < message.at }.flatMap { earlier.at < restarts[$0] + .seconds(2) ? $0 : nil }
                #expect(kill != nil, "alert \(message.id) was sent twice by the same bot; \(log)")
                if let kill { repeatsPerKill[kill] += 1 }
            }
            let repeats = repeatsPerKill.reduce(0, +)
            #expect(repeatsPerKill.allSatisfy { $0 <= 16 }, "more repeats after one kill than messages in flight: \(repeatsPerKill)")
            for message in messages {
                let owner = Self.planned[Int(ids.firstIndex(of: message.id) ?? 0)].user
                #expect(message.chat == owner, "alert \(message.id) went to chat \(message.chat ?? 0), not its owner \(owner)")
            }

            let store = try await rig.store()
            for (id, alert) in zip(ids, Self.planned) {
                let stored = try #require(try await store.alert(id, of: alert.user))
                #expect(stored.state == (crossed.contains(id) ? .fired : .armed), "alert \(id) is \(stored.state)")
            }
            #expect(try await store.outboxCount() == 0)
            print("alert kill test: \(crossed.count) of \(ids.count) alerts crossed, \(restarts.count) kills, \(repeats) sent again by the outbox \(repeatsPerKill); \(log)")
        }
    }

    @Test func anAlertArmedByCommandFiresOnceAfterARestartBetweenArmingAndCrossing() async throws {
        let trader = FakeUser(id: 8200, firstName: "Rhea")
        try await Rig.run(allowed: [trader.id]) { rig in
            await rig.broker.setQuote("RELIANCE", ltp: 1420.10)
            await rig.broker.setQuote("INFY", ltp: 1500)
            let first = try rig.start()
            await rig.telegram.sendText("/link \(BrokerRig.apiKey) \(rig.broker.host)", from: trader)
            await rig.telegram.sendText("/alert RELIANCE above 1500", from: trader)
            // Never crossed: it keeps the checks (and their multiquotes calls) going after #1 fired.
            await rig.telegram.sendText("/alert INFY above 5000", from: trader)
            let armed = await rig.telegram.waitUntil(timeout: .seconds(20)) { calls in
                calls.contains { $0.visibleText?.contains("Alert #2 armed") == true }
            }
            try #require(armed.contains { $0.visibleText?.contains("Alert #1 armed: RELIANCE NSE above 1,500.00") == true }, "\(armed.compactMap(\.visibleText))")
            try #require(armed.contains { $0.visibleText?.contains("Linked") == true }, "no /link answer")
            // A check sees the price below the level before the restart: nothing fires yet.
            let checks = await rig.broker.calls("multiquotes")
            #expect(await rig.waitFor(.seconds(12)) { await rig.broker.calls("multiquotes") > checks })
            first.signal(SIGTERM)
            #expect(await first.waitForExit() == 0)
            #expect(await rig.alertMessages().isEmpty)

            await rig.broker.setQuote("RELIANCE", ltp: 1502.35)
            let second = try rig.start()
            #expect(await rig.waitFor { await !rig.alertMessages().isEmpty }, "the alert never fired after the restart")
            let after = await rig.broker.calls("multiquotes")
            #expect(await rig.waitFor(.seconds(12)) { await rig.broker.calls("multiquotes") > after })
            second.signal(SIGTERM)
            #expect(await second.waitForExit() == 0)

            let messages = await rig.alertMessages()
            #expect(messages.map(\.id) == [1])
            #expect(messages.first?.chat == trader.id)
            let text = await rig.telegram.sent("sendMessage").compactMap(\.visibleText).first { $0.contains("Alert #1,") }
            #expect(text?.contains("RELIANCE NSE above 1,500.00: LTP 1,502.35") == true, "\(text ?? "none")")
            let store = try await rig.store()
            #expect(try await store.alert(1, of: trader.id)?.state == .fired)
            #expect(try await store.alert(2, of: trader.id)?.state == .armed)
        }
    }
}
