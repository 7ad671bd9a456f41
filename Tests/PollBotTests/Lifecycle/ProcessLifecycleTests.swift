import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// The real `pollbot` binary: crashes, restarts, signals, a second instance.
@Suite(.serialized) struct ProcessLifecycleTests {
    struct Setup {
        let fake: FakeTelegram
        let directory: TemporaryDirectory
        let configPath: String

        static func make() async throws -> Setup {
            let fake = try await FakeTelegram.start(floodLimits: false)
            let directory = try TemporaryDirectory("pollbot-process")
            let configPath = directory.file("bot.toml")
            try BotHarness.configText(fake: fake, directory: directory, floodLimits: false)
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            return Setup(fake: fake, directory: directory, configPath: configPath)
        }

        func start() throws -> BotProcess {
            try BotProcess(configPath: configPath, logPath: directory.file("pollbot.log"), environment: ["POLLBOT_LOG_LEVEL": "warning"])
        }
    }

    static func replyText(_ index: Int) -> String { "There is no command /u\(index). Send /help for the list." }

    @Test func aKilledBotLosesNoUpdateAndProcessesNoneTwice() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let setup = try await Setup.make()
        let users = (1...30).map { FakeUser(id: 5000 + Int64($0)) }
        for index in 0..<300 { await setup.fake.sendText("/help u\(index)", from: users[index % users.count]) }

        let first = try setup.start()
        await setup.fake.waitForCalls("sendMessage", count: 100, timeout: .seconds(20))
        first.signal(SIGKILL)
        #expect(await first.waitForExit() == SIGKILL)
        let answeredBeforeKill = await setup.fake.sent("sendMessage").count
        // More commands arrive while the bot is down.
        for index in 300..<400 { await setup.fake.sendText("/help u\(index)", from: users[index % users.count]) }

        let second = try setup.start()
        let expected = Set((0..<400).map(Self.replyText))
        let calls = await setup.fake.waitUntil(timeout: .seconds(30)) { calls in
            expected.isSubset(of: Set(calls.compactMap { $0.method == "sendMessage" ? $0.visibleText : nil }))
        }
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)

        let texts = calls.filter { $0.method == "sendMessage" }.compactMap(\.visibleText)
        let answered = Set(texts)
        let missing = expected.subtracting(answered).count
        #expect(missing == 0, "\(missing) updates never answered")
        // Only a message accepted in the instant before its row was removed may repeat:
        // at most one per chat in flight when the process died.
        let repeats = texts.count - answered.count
        #expect(repeats <= 16, "\(repeats) replies repeated")
        #expect(answeredBeforeKill < 400, "the kill came after all work was done")

        let store = try await TraderApp.openStore(path: setup.directory.file("pollbot.sqlite3"))
        #expect(try await store.handledCount() == 400)
        #expect(try await store.outboxCount() == 0)
        print("kill test: \(answeredBeforeKill) replies before SIGKILL, 400/400 answered, \(repeats) repeated")
        await setup.fake.stop()
        setup.directory.remove()
    }

    @Test func sigtermExitsZeroAndASecondInstanceExitsOne() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let setup = try await Setup.make()
        let first = try setup.start()
        await setup.fake.sendText("/start", from: FakeUser(id: 1))
        await setup.fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(10))

        let second = try BotProcess(configPath: setup.configPath, logPath: setup.directory.file("second.log"))
        #expect(await second.waitForExit() == 1)
        #expect(second.output.contains("another pollbot is already running"))

        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(5)) == 0)
        #expect(!first.output.contains(setup.fake.token))
        await setup.fake.stop()
        setup.directory.remove()
    }

    @Test func theKeyAndTokenNeverReachTheLogsOrTheDatabaseFile() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let apiKey = "oa_secret_9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a"
        let broker = try await FakeOpenAlgo.start(validKeys: [apiKey])
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory("pollbot-secrets")
        let configPath = directory.file("bot.toml")
        try BotHarness.configText(fake: fake, directory: directory, floodLimits: false, extra: "[broker]\nhost = \"\(broker.host)\"")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let bot = try BotProcess(configPath: configPath, logPath: directory.file("pollbot.log"), environment: ["POLLBOT_LOG_LEVEL": "trace"])
        let user = FakeUser(id: 77)
        await fake.sendText("/link \(apiKey)", from: user)
        await fake.sendText("/link \(apiKey) broken https://evil.example", from: user)
        await fake.sendText("/status", from: user)
        await fake.waitForCalls("sendMessage", count: 3, timeout: .seconds(10))
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit() == 0)

        var stored = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("pollbot.sqlite3") {
            stored += try Data(contentsOf: URL(fileURLWithPath: directory.file(name)))
        }
        #expect(stored.count > 0)
        for secret in [apiKey, String(apiKey.dropLast(4)), fake.token, String(fake.token.split(separator: ":")[1])] {
            #expect(stored.range(of: Data(secret.utf8)) == nil, "the database holds a secret in plaintext")
            #expect(!bot.output.contains(secret), "the log holds a secret")
        }
        #expect(bot.output.contains("123456:***"))
        await fake.stop()
        await broker.stop()
        directory.remove()
    }

    @Test func aBadConfigExits78NamingTheKey() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("bot.toml")
        try "[telegram]\ntoken = \"1:abc\"\npoll_timeout = \"soon\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let process = try BotProcess(configPath: path, logPath: directory.file("out.log"))
        #expect(await process.waitForExit() == 78)
        #expect(process.output.contains("line 3: telegram.poll_timeout must be a whole number of seconds"))
        directory.remove()
    }
}
