import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// `pollbot doctor` against the fake Telegram and fake OpenAlgo on loopback: a good setup, then one mistake at a time.
@Suite struct DoctorTests {
    /// A setup whose every check passes; `edit` changes the config text before it is written.
    struct Rig {
        let telegram: FakeTelegram
        let broker: FakeOpenAlgo
        let directory: TemporaryDirectory

        static func start() async throws -> Rig {
            Rig(telegram: try await FakeTelegram.start(), broker: try await FakeOpenAlgo.start(validKeys: []),
                directory: try TemporaryDirectory("pollbot-doctor"))
        }

        func config(token: String? = nil, database: String? = nil, brokerHost: String? = nil, admin: String = "127.0.0.1:0",
                    timeZone: String = "Asia/Kolkata") throws -> String {
            if !FileManager.default.fileExists(atPath: directory.file("master.key")) {
                _ = try MasterKey.generate(to: directory.file("master.key"))
            }
            let path = directory.file("bot.toml")
            try """
            [telegram]
            token = "\(token ?? telegram.token)"
            api_url = "\(telegram.apiURL)"
            [storage]
            path = "\(database ?? directory.file("pollbot.sqlite3"))"
            [broker]
            host = "\(brokerHost ?? broker.host)"
            time_zone = "\(timeZone)"
            [security]
            key_file = "\(directory.file("master.key"))"
            [admin]
            listen = "\(admin)"
            """.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o640)
            return path
        }

        func run(_ path: String, environment: [String: String] = [:]) async -> DoctorReport {
            await Doctor.run(configPath: path, environment: environment, telegramTimeout: .seconds(5))
        }

        func stop() async {
            await telegram.stop()
            await broker.stop()
            directory.remove()
        }
    }

    @Test func aGoodSetupPassesEveryCheck() async throws {
        let rig = try await Rig.start()
        let report = await rig.run(try rig.config())
        let text = report.lines.map(\.text).joined(separator: "\n")
        #expect(report.exitCode == 0, "\(text)")
        #expect(report.lines.map(\.check) == ["config", "key file", "database", "telegram", "broker", "admin port", "time zone", "charts"])
        #expect(report.lines.allSatisfy { $0.status == .ok }, "\(text)")
        #expect(report.line("telegram")?.found.contains("@\(FakeTelegram.botUsername)") == true)
        #expect(report.line("broker")?.found.contains(rig.broker.host) == true)
        // The secret half of the token appears nowhere.
        #expect(!text.contains("TEST-fake_token"))
        #expect(text.contains("123456:***"))
        await rig.stop()
    }

    @Test func aWrongTokenGetsThe401LineAndExit1() async throws {
        let rig = try await Rig.start()
        let report = await rig.run(try rig.config(token: "123456:WRONG-secret_part"))
        let line = try #require(report.line("telegram"))
        #expect(line.status == .fail)
        #expect(line.text.contains("401"))
        #expect(line.text.contains("the token was revoked or mistyped, get a new one from @BotFather"))
        #expect(!report.lines.map(\.text).joined().contains("WRONG-secret_part"))
        #expect(report.exitCode == 1)
        await rig.stop()
    }

    @Test func aKeyFileOthersCanReadFails() async throws {
        let rig = try await Rig.start()
        let path = try rig.config()
        chmod(rig.directory.file("master.key"), 0o644)
        let line = try #require(await rig.run(path).line("key file"))
        #expect(line.status == .fail)
        #expect(line.text.contains("mode 644"))
        #expect(line.fix == "chmod 600 \(rig.directory.file("master.key"))")
        await rig.stop()
    }

    @Test func aMissingKeyFileSaysHowToMakeOne() async throws {
        let rig = try await Rig.start()
        let path = try rig.config()
        unlink(rig.directory.file("master.key"))
        let line = try #require(await rig.run(path).line("key file"))
        #expect(line.status == .fail)
        #expect(line.fix?.hasPrefix("pollbot keygen --out ") == true)
        await rig.stop()
    }

    @Test func anUnwritableOrMissingDatabaseDirectoryFails() async throws {
        let rig = try await Rig.start()
        // /proc refuses new files even to root, who ignores permission bits.
        let unwritable = try #require(await rig.run(try rig.config(database: "/proc/pollbot.sqlite3")).line("database"))
        #expect(unwritable.status == .fail)
        #expect(unwritable.text.contains("/proc does not take new files"))
        let missing = try #require(await rig.run(try rig.config(database: rig.directory.file("nowhere/db.sqlite3"))).line("database"))
        #expect(missing.status == .fail)
        #expect(missing.text.contains("does not exist"))
        await rig.stop()
    }

    @Test func anUnreachableBrokerPortFails() async throws {
        let rig = try await Rig.start()
        let closed = try await FakeOpenAlgo.start(validKeys: [])
        let host = closed.host
        await closed.stop()
        let report = await rig.run(try rig.config(brokerHost: host))
        let line = try #require(report.line("broker"))
        #expect(line.status == .fail)
        #expect(line.text.contains("\(host) cannot be reached"))
        #expect(report.exitCode == 1)
        await rig.stop()
    }

    @Test func anAdminPortInUseAsksWhetherPollbotRuns() async throws {
        let rig = try await Rig.start()
        // The fake Telegram listens there already.
        let line = try #require(await rig.run(try rig.config(admin: "127.0.0.1:\(rig.telegram.port)")).line("admin port"))
        #expect(line.status == .fail)
        #expect(line.text.contains("127.0.0.1:\(rig.telegram.port) is in use"))
        #expect(line.fix?.hasPrefix("is pollbot already running?") == true)
        await rig.stop()
    }

    @Test func anUnknownTimeZoneGetsItsOwnLine() async throws {
        let rig = try await Rig.start()
        let report = await rig.run(try rig.config(timeZone: "Mars/Olympus_Mons"))
        let zone = try #require(report.line("time zone"))
        #expect(zone.status == .fail)
        #expect(zone.text.contains("\"Mars/Olympus_Mons\" is not a known time zone"))
        // The loader's key and line, too.
        #expect(report.line("config")?.found.contains("line 8: broker.time_zone") == true)
        #expect(report.exitCode == 1)
        await rig.stop()
    }

    @Test func anUnreadableOrBrokenConfigFailsWithTheLoadersMessage() async throws {
        let rig = try await Rig.start()
        let missing = await rig.run(rig.directory.file("absent.toml"))
        #expect(missing.lines.count == 1 && missing.lines[0].status == .fail && missing.exitCode == 1)
        let path = rig.directory.file("broken.toml")
        try "[telegram]\ntoken = 42\n".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = await rig.run(path)
        #expect(broken.line("config")?.found.contains("telegram.token must be a quoted string") == true)
        await rig.stop()
    }

    @Test func aWorldReadableConfigWithItsTokenInsideIsAWarning() async throws {
        let rig = try await Rig.start()
        let path = try rig.config()
        chmod(path, 0o644)
        let report = await rig.run(path)
        #expect(report.line("config")?.status == .warn)
        #expect(report.line("config")?.fix?.hasPrefix("chmod 640") == true)
        #expect(report.exitCode == 0)
        await rig.stop()
    }
}
