import BotKit
import Foundation
import Synchronization
@testable import PollBot
import TestSupport
import Testing

/// The real `pollbot` binary killed with SIGKILL in the middle of a confirmed order: once after OpenAlgo recorded the
/// order but before its answer came back, once before the order was ever sent. The restarted bot settles the intent
/// from the order book before it handles anything new, and never sends the order a second time.
@Suite(.serialized) struct OrderKillProcessTests {
    static let trader = FakeUser(id: 6301, firstName: "Tara")

    /// The fakes, a bot.toml with trading on for `trader`, and the bot processes started on it.
    final class Setup: Sendable {
        let telegram: FakeTelegram
        let broker: FakeOpenAlgo
        let directory: TemporaryDirectory
        let configPath: String
        private let started = Mutex<[BotProcess]>([])

        init(telegram: FakeTelegram, broker: FakeOpenAlgo, directory: TemporaryDirectory, configPath: String) {
            self.telegram = telegram
            self.broker = broker
            self.directory = directory
            self.configPath = configPath
        }

        /// Runs `body` on a fresh setup and tears it down however `body` ends: no bot process outlives the test.
        static func run(_ body: (Setup) async throws -> Void) async throws {
            try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
            let setup = try await make()
            do {
                try await body(setup)
            } catch {
                await setup.close()
                throw error
            }
            await setup.close()
        }

        private static func make() async throws -> Setup {
            let telegram = try await FakeTelegram.start(floodLimits: false)
            let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
            let directory = try TemporaryDirectory("pollbot-orderkill")
            let configPath = directory.file("bot.toml")
            try BotHarness.configText(fake: telegram, directory: directory, floodLimits: false, extra: """
                allowed_users = [\(trader.id)]
                [broker]
                host = "\(broker.host)"
                [trading]
                enabled = true
                users = [\(trader.id)]
                market_hours_only = false
                """).write(toFile: configPath, atomically: true, encoding: .utf8)
            return Setup(telegram: telegram, broker: broker, directory: directory, configPath: configPath)
        }

        func start(_ run: Int) throws -> BotProcess {
            let bot = try BotProcess(configPath: configPath, logPath: directory.file("run\(run).log"), environment: ["POLLBOT_LOG_LEVEL": "notice"])
            started.withLock { $0.append(bot) }
            return bot
        }

        /// The sendMessage texts so far.
        func messages() async -> [String] { await telegram.sent("sendMessage").compactMap(\.visibleText) }

        /// Sends `text` and waits for the first new message containing `marker`; returns that message as sent.
        func ask(_ text: String, until marker: String, timeout: Duration = .seconds(15)) async -> SentCall? {
            let before = await telegram.sent("sendMessage").count
            await telegram.sendText(text, from: trader)
            let calls = await telegram.waitUntil(timeout: timeout) { calls in
                calls.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains(marker) == true }
            }
            return calls.filter { $0.method == "sendMessage" }.dropFirst(before).first { $0.visibleText?.contains(marker) == true }
        }

        /// Links the key, asks for `/buy 1 RELIANCE` and presses its Confirm button; returns once the press is sent.
        func buyAndConfirm() async throws {
            let linked = await ask("/link \(BrokerRig.apiKey) \(broker.host)", until: "Linked")
            try #require(linked != nil, "the bot never answered /link")
            let preview = try #require(await ask("/buy 1 RELIANCE", until: "Order preview"), "no preview")
            let confirm = try #require(preview.button("\u{2705} Confirm"), "the preview has no Confirm: \(preview.visibleText ?? "")")
            await telegram.pressButton(confirm, by: trader, messageID: await telegram.lastMessageID)
        }

        /// Starts the bot again and at once sends /whoami, which arrives while it may still be settling orders; returns
        /// the new bot and every message sent after the restart up to the /whoami answer.
        func restartAskingWhoAmI() async throws -> (BotProcess, [String]) {
            let before = await telegram.sent("sendMessage").count
            let bot = try start(2)
            await telegram.sendText("/whoami", from: trader)
            let calls = await telegram.waitUntil(timeout: .seconds(20)) { calls in
                calls.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains("Your user id") == true }
            }
            return (bot, calls.filter { $0.method == "sendMessage" }.dropFirst(before).compactMap(\.visibleText))
        }

        /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
        func waitFor(_ timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if await condition() { return true }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return await condition()
        }

        /// The intents the database holds, read once the bot has stopped.
        func intents() async throws -> [OrderIntent] {
            let store = try await TraderApp.openStore(path: directory.file("pollbot.sqlite3"))
            let ids = try await store.orderAudit(since: .distantPast).compactMap { entry -> String? in
                guard entry.event == "confirm", entry.reply.hasPrefix("intent ") else { return nil }
                return String(entry.reply.dropFirst("intent ".count))
            }
            var intents: [OrderIntent] = []
            for id in ids { if let intent = try await store.orderIntent(id) { intents.append(intent) } }
            return intents
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

    /// The ids in the fake's order book, read as any client would.
    static func bookIDs(_ broker: FakeOpenAlgo) async throws -> Set<String> {
        Set(try await OpenAlgoClient(host: broker.host, apiKey: BrokerRig.apiKey).orderBook().orders.map(\.orderID))
    }

    @Test func aKillAfterOpenAlgoRecordedTheOrderEndsWithThatOneOrder() async throws {
        try await Setup.run { setup in
            let bookBefore = try await Self.bookIDs(setup.broker)
            // placeorder records the order and then holds its answer well past the moment of the kill.
            await setup.broker.injectOrderFault(.acceptThenStall(.seconds(60)))
            let first = try setup.start(1)
            try await setup.buyAndConfirm()
            #expect(await setup.waitFor { await setup.broker.placedOrderCount == 1 }, "the order never reached the fake")
            first.signal(SIGKILL)
            #expect(await first.waitForExit() == SIGKILL)
            let orderID = try #require(try await Self.bookIDs(setup.broker).subtracting(bookBefore).first)
            #expect(await setup.messages().allSatisfy { !$0.contains(orderID) }, "the killed bot never heard the order id")

            let (second, after) = try await setup.restartAskingWhoAmI()
            #expect(after.first?.hasPrefix("After a restart I checked an order that was not confirmed:") == true, "\(after)")
            #expect(after.first?.contains("Placed: OpenAlgo has it as order \(orderID)") == true, "\(after)")
            // The order's id as soon as it is claimed, then its status (told apart, so a kill during the status polls cannot
            // swallow the news: OrderStartupCheckTests).
            #expect(after.filter { $0.contains(orderID) }.count == 2 && after.contains { $0.contains("(order \(orderID))\nStatus:") },
                    "the news and the status, once each: \(after)")
            // The press that was being handled when the bot died is replayed, and only says it was already confirmed.
            let toasts = await setup.telegram.waitUntil(timeout: .seconds(10)) { calls in
                calls.contains { $0.method == "answerCallbackQuery" && ($0.parameters["text"] as? String)?.hasPrefix("Already confirmed") == true }
            }
            #expect(toasts.contains { ($0.parameters["text"] as? String)?.hasPrefix("Already confirmed") == true })
            second.signal(SIGTERM)
            #expect(await second.waitForExit() == 0)

            #expect(await setup.broker.placedOrderCount == 1)
            #expect(await setup.broker.calls("placeorder") == 1, "the order was sent again")
            let intents = try await setup.intents()
            #expect(intents.count == 1)
            #expect(intents.first?.state == .placed)
            #expect(intents.first?.brokerOrderID == orderID)
            #expect(await setup.messages().filter { $0.contains(orderID) }.count == 2)
            #expect(!first.output.contains(BrokerRig.apiKey) && !second.output.contains(BrokerRig.apiKey), "the key reached the log")
        }
    }

    @Test func aKillBeforeTheBrokerCallSettlesTheIntentAsNeverSent() async throws {
        try await Setup.run { setup in
            // The book read that comes right before sending (the baseline) hangs: the intent is committed, nothing sent.
            await setup.broker.inject(.stall(.seconds(60)), for: "orderbook")
            let first = try setup.start(1)
            try await setup.buyAndConfirm()
            #expect(await setup.waitFor { await setup.broker.calls("orderbook") == 1 }, "the baseline read never came")
            first.signal(SIGKILL)
            #expect(await first.waitForExit() == SIGKILL)
            #expect(await setup.broker.calls("placeorder") == 0)

            let (second, after) = try await setup.restartAskingWhoAmI()
            #expect(after.first?.hasPrefix("After a restart I checked an order that was not confirmed:") == true, "\(after)")
            #expect(after.first?.contains("Nothing was placed") == true, "\(after)")
            second.signal(SIGTERM)
            #expect(await second.waitForExit() == 0)

            #expect(await setup.broker.calls("placeorder") == 0, "an order whose intent was never sent went out after the restart")
            #expect(await setup.broker.placedOrderCount == 0)
            let intents = try await setup.intents()
            #expect(intents.count == 1)
            #expect(intents.first?.state == .failed)
            #expect(intents.first?.brokerOrderID == nil)
        }
    }
}
