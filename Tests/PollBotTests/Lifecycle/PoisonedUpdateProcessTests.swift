import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// The real Bot as a child process: a handler that crashes it, and a stop during a backoff sleep.
@Suite(.serialized) struct PoisonedUpdateProcessTests {
    static let testBot = BotProcess.binary("PollTestBot")

    @Test func anUpdateThatCrashesTheBotTwiceIsAnsweredOnceAndNeverRunAgain() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.testBot.path), "build the PollTestBot target first")
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory("pollbot-trap")
        let configPath = directory.file("bot.toml")
        try BotHarness.configText(fake: fake, directory: directory, floodLimits: false)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        // No backtrace symbolication: the crash should end the process at once.
        let environment = ["SWIFT_BACKTRACE": "enable=no", "POLLBOT_LOG_LEVEL": "notice"]
        func start(_ run: Int) throws -> BotProcess {
            try BotProcess(configPath: configPath, logPath: directory.file("run\(run).log"), environment: environment,
                           executable: Self.testBot)
        }
        let user = FakeUser(id: 4242)
        let trap = await fake.sendText("/trap", from: user)

        for run in 1...2 {
            let bot = try start(run)
            let status = await bot.waitForExit(timeout: .seconds(30))
            #expect(status != nil && status != 0, "run \(run) should have crashed in the handler")
            #expect(bot.output.contains("trap command: a handler crashed"))
        }
        #expect(await fake.sent("sendMessage").isEmpty)

        let third = try start(3)
        let notice = try #require(await fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(20)).first?.visibleText)
        let errorID = try #require(notice.wholeMatch(of: /Your \/trap could not be completed \(error id ([0-9a-f]{6})\); it was not retried\./)?.1)
        #expect(third.isRunning)
        #expect(third.output.contains("error_id=\(errorID)"))

        // The operator's list, read beside the running bot (no instance lock taken).
        let listing = try BotProcess(configPath: configPath, logPath: directory.file("inbox.log"),
                                     arguments: ["inbox", "--failed", "--config", configPath])
        #expect(await listing.waitForExit() == 0)
        #expect(listing.output.contains("\(trap)\t4242\t"))
        #expect(listing.output.contains("\t2\t\(errorID)\thandler crashed or was killed 2 times"))
        #expect(!listing.output.contains("/trap"), "the listing never shows a payload")

        await fake.sendText("/start", from: user)
        #expect(await fake.waitForCalls("sendMessage", count: 2, timeout: .seconds(10)).count == 2)
        third.signal(SIGTERM)
        #expect(await third.waitForExit() == 0)

        // A fourth start does not meet the update again: it stays up and answers.
        let fourth = try start(4)
        await fake.sendText("/help", from: user)
        #expect(await fake.waitForCalls("sendMessage", count: 3, timeout: .seconds(10)).count == 3)
        #expect(fourth.isRunning)
        fourth.signal(SIGTERM)
        #expect(await fourth.waitForExit() == 0)
        let notices = await fake.sent("sendMessage").compactMap(\.visibleText).filter { $0.contains("could not be completed") }
        #expect(notices.count == 1)
        await fake.stop()
        directory.remove()
    }

    @Test func sigtermDuringABackoffSleepStillShutsDownGracefully() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory("pollbot-backoff")
        let configPath = directory.file("bot.toml")
        // A long poll of 20 s: the poll waiting below does not end on its own while the test scripts the next one.
        try BotHarness.configText(fake: fake, directory: directory, floodLimits: false, pollTimeout: 20)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let notify = try NotifySocket()
        let bot = try BotProcess(configPath: configPath, logPath: directory.file("pollbot.log"),
                                 environment: ["NOTIFY_SOCKET": notify.path, "POLLBOT_LOG_LEVEL": "notice"])
        let user = FakeUser(id: 31)
        let first = await fake.sendText("/start", from: user)
        #expect(await fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(15)).count == 1)
        // The next long poll has confirmed /start and waits; the call after it gets a 429 with a minute to wait.
        var waited = ContinuousClock.now
        while await fake.confirmedBelow <= first, waited.duration(to: .now) < .seconds(10) { try await Task.sleep(for: .milliseconds(20)) }
        try #require(await fake.confirmedBelow == first + 1)
        await fake.inject(.error(status: 429, description: "Too Many Requests: retry after 60", retryAfter: 60), for: "getUpdates")
        let second = await fake.sendText("/help", from: user)
        #expect(await fake.waitForCalls("sendMessage", count: 2, timeout: .seconds(10)).count == 2)
        #expect(await bot.waitForOutput("getUpdates rate limited"))
        #expect(await fake.confirmedBelow == second, "the 429 confirmed nothing")

        waited = ContinuousClock.now
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit(timeout: .seconds(5)) == 0, "still asleep in the backoff")
        #expect(waited.duration(to: .now) < .seconds(5))
        #expect(bot.output.contains("pollbot stopped"))
        #expect(await fake.confirmedBelow == second + 1, "the shutdown confirmed the offset")
        let states = notify.drain()
        #expect(states.first == "READY=1")
        #expect(states.contains("STOPPING=1"))
        #expect(await fake.sent("sendMessage").count == 2)
        await fake.stop()
        directory.remove()
    }
}
