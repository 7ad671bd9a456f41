import BotKit
@testable import PollBot
import Foundation
import Synchronization
import TestSupport
import Testing

/// The restore drill with the real binary: a backup taken while the bot answers a stream of updates, restored into a
/// fresh directory, and a bot started on it with the same master key finds every linked account and alert.
@Suite(.serialized) struct RestoreDrillTests {
    static let users: [Int64] = (1...6).map { 7000 + $0 }
    static let host = "http://127.0.0.1:5000"

    static func key(of user: Int64) -> String { "oa_drill_\(user)_" + String(repeating: "k", count: 20) }

    /// Links two accounts and arms two alerts per user, as /link and /alert store them.
    static func seed(configPath: String) async throws {
        let config = try ConfigLoader.load(path: configPath)
        let vault = try KeyRing.load(keyFile: config.security.keyFile)
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        for user in users {
            for name in ["main", "spare"] {
                try await store.saveAccount(LinkedAccount(userID: user, name: name, host: host,
                                                          sealed: vault.seal(key(of: user) + name, userID: user, account: name, host: host),
                                                          keyHint: "kkkk", linkedAt: Date()))
            }
            for level in [100.0, 200.0] {
                _ = try await store.armAlert(userID: user, chatID: user, account: "main", host: host, instrument: Instrument("SBIN", "NSE"),
                                             kind: .above, level: level, direction: .above, referencePrice: 50, limit: 50, now: Date())
            }
        }
    }

    /// Runs `pollbot arguments` to the end; returns its exit status and output.
    static func cli(_ arguments: [String], in directory: TemporaryDirectory, log: String) async throws -> (status: Int32?, output: String) {
        let process = try BotProcess(configPath: "", logPath: directory.file(log), arguments: arguments)
        let status = await process.waitForExit(timeout: .seconds(30))
        return (status, process.output)
    }

    @Test func aBackupUnderLoadRestoresIntoAFreshDirectoryWithEveryAccountAndAlert() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let fake = try await FakeTelegram.start(floodLimits: false)
        let first = try TemporaryDirectory("pollbot-drill")
        let fresh = try TemporaryDirectory("pollbot-drill-fresh")
        defer { first.remove(); fresh.remove() }
        let firstConfig = first.file("bot.toml")
        try BotHarness.configText(fake: fake, directory: first, floodLimits: false).write(toFile: firstConfig, atomically: true, encoding: .utf8)
        try await Self.seed(configPath: firstConfig)

        let bot = try BotProcess(configPath: firstConfig, logPath: first.file("pollbot.log"), environment: ["POLLBOT_LOG_LEVEL": "warning"])
        // Updates keep streaming in (each one an inbox write, a handler, an outbox row) for the whole backup.
        let sent = Atomic<Int>(0)
        let stream = Task {
            var index = 0
            while !Task.isCancelled {
                _ = await fake.sendText("/help drill\(index)", from: FakeUser(id: 9000 + Int64(index % 10)))
                index += 1
                sent.store(index, ordering: .relaxed)
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        await fake.waitForCalls("sendMessage", count: 20, timeout: .seconds(20))
        let backup = first.file("drill-backup.db")
        let repliesBefore = await fake.sent("sendMessage").count
        let taken = try await Self.cli(["backup", "--config", firstConfig, "--out", backup], in: first, log: "backup.log")
        #expect(taken.status == 0, "\(taken.output)")
        #expect(taken.output.contains("integrity_check: ok") && taken.output.contains("accounts: 12 rows"), "\(taken.output)")
        #expect(taken.output.contains("stay sealed with the master key"))
        await fake.waitForCalls("sendMessage", count: repliesBefore + 20, timeout: .seconds(20))
        #expect(bot.isRunning)

        // While the bot runs: no restore over its database, and nothing is replaced.
        let refused = try await Self.cli(["restore", "--config", firstConfig, "--from", backup], in: first, log: "restore-running.log")
        #expect(refused.status == 1 && refused.output.contains("already running") && refused.output.contains("nothing was replaced"),
                "\(refused.output)")
        stream.cancel()
        bot.signal(SIGTERM)
        #expect(await bot.waitForExit() == 0)
        #expect(sent.load(ordering: .relaxed) > 40)

        // A new machine: the master key carried over apart from the backup, a fresh data directory.
        try FileManager.default.copyItem(atPath: first.file("master.key"), toPath: fresh.file("master.key"))
        let freshConfig = fresh.file("bot.toml")
        try BotHarness.configText(fake: fake, directory: fresh, floodLimits: false).write(toFile: freshConfig, atomically: true, encoding: .utf8)
        let garbage = fresh.file("garbage.db")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: garbage))
        let bad = try await Self.cli(["restore", "--config", freshConfig, "--from", garbage], in: fresh, log: "restore-bad.log")
        #expect(bad.status == 65 && bad.output.contains("restore refused, nothing was replaced"), "\(bad.output)")
        #expect(!FileManager.default.fileExists(atPath: fresh.file("pollbot.sqlite3")))

        let restored = try await Self.cli(["restore", "--config", freshConfig, "--from", backup], in: fresh, log: "restore.log")
        #expect(restored.status == 0 && restored.output.contains("there was no previous database"), "\(restored.output)")
        var info = stat()
        #expect(stat(fresh.file("pollbot.sqlite3"), &info) == 0 && info.st_mode & 0o777 == 0o600)

        let second = try BotProcess(configPath: freshConfig, logPath: fresh.file("pollbot.log"), environment: ["POLLBOT_LOG_LEVEL": "warning"])
        _ = await fake.sendText("/help after-restore", from: FakeUser(id: 9100))
        let answered = await fake.waitUntil(timeout: .seconds(20)) { calls in
            calls.contains { $0.method == "sendMessage" && ($0.visibleText ?? "").contains("/after") }
        }
        #expect(answered.contains { ($0.visibleText ?? "").contains("/after") }, "the restored bot did not answer")
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)

        let config = try ConfigLoader.load(path: freshConfig)
        let vault = try KeyRing.load(keyFile: config.security.keyFile)
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        for user in Self.users {
            let accounts = try await store.accounts(of: user)
            #expect(accounts.map(\.name) == ["main", "spare"])
            for account in accounts {
                #expect(try vault.open(account.sealed, userID: user, account: account.name, host: account.host) == Self.key(of: user) + account.name)
            }
            #expect(try await store.alerts(of: user).filter { $0.state == .armed }.map(\.level).sorted() == [100, 200])
        }
        await fake.stop()
    }
}
