import BotKit
@testable import PollBot
import Foundation
import Logging
import TestSupport
import Testing

/// The bot's own daily backup, run by the real scheduler on a real database with an injected clock.
@Suite struct DailyBackupJobTests {
    struct Rig {
        let directory: TemporaryDirectory
        let store: BotStore
        let scheduler: JobScheduler<TraderServices>
        let clock: ManualDate
        let config: BotConfig
    }

    /// 2025-01-02 00:00 UTC is 05:30 in Kolkata: the first backup is due at 03:30 Kolkata on the 3rd.
    static let start = Date(timeIntervalSince1970: 1_735_776_000)

    static func rig(backupLines: String) async throws -> Rig {
        let directory = try TemporaryDirectory("pollbot-backup-job")
        _ = try MasterKey.generate(to: directory.file("master.key"))
        let config = try ConfigLoader.parse("""
            [telegram]
            token = "1:a"
            [storage]
            path = "\(directory.file("pollbot.sqlite3"))"
            \(backupLines)
            [security]
            key_file = "\(directory.file("master.key"))"
            [broker]
            kind = "paper"
            """)
        let vault = try KeyRing.load(keyFile: config.security.keyFile)
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        let hub = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault, retryDelays: [])
        let services = TraderServices(config: config, store: store, vault: vault, trading: hub)
        let clock = ManualDate(start)
        try await DailyBackupJob.ensureScheduled(in: store, config: config, now: clock.now)
        let scheduler = JobScheduler(store: store, registry: TraderApp.app(config: config).jobs, services: services,
                                     logger: Logger(label: "test.backup"), now: { clock.now })
        return Rig(directory: directory, store: store, scheduler: scheduler, clock: clock, config: config)
    }

    @Test func theBotBacksItselfUpDailyAndKeepsTheNewest() async throws {
        let backups = try TemporaryDirectory("pollbot-backups")
        defer { backups.remove() }
        try "not ours".write(toFile: backups.file("pollbot-notes.db"), atomically: true, encoding: .utf8)
        let rig = try await Self.rig(backupLines: "backup_dir = \"\(backups.path)\"\nbackup_keep = 2")
        defer { rig.directory.remove() }
        let job = try #require(try await rig.store.job(DailyBackupJob.self, key: DailyBackupJob.key))
        #expect(job.schedule == .daily(hour: 3, minute: 30, timeZone: "Asia/Kolkata"))
        #expect(job.nextRunAt == Self.start.addingTimeInterval(22 * 3600))  // 03:30 Kolkata on the 3rd = 22:00 UTC on the 2nd

        #expect(await rig.scheduler.runDue() == 0)
        rig.clock.advance(by: 22 * 3600 + 5)
        for _ in 0..<3 {
            #expect(await rig.scheduler.runDue() == 1)
            rig.clock.advance(by: 86_400)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: backups.path).sorted()
        #expect(names == ["pollbot-20250103-220005.db", "pollbot-20250104-220005.db", "pollbot-notes.db"])
        #expect(try await SQLiteBackup.check(path: backups.file("pollbot-20250104-220005.db")).schemaVersions["botkit"] != nil)
        #expect(try await rig.store.job(DailyBackupJob.self, key: DailyBackupJob.key)?.failures == 0)
    }

    @Test func aFailedBackupCountsAsAFailedRun() async throws {
        let rig = try await Self.rig(backupLines: "backup_dir = \"/nonexistent/pollbot-backups\"")
        defer { rig.directory.remove() }
        rig.clock.advance(by: 22 * 3600 + 1)
        _ = await rig.scheduler.runDue()
        let job = try #require(try await rig.store.job(DailyBackupJob.self, key: DailyBackupJob.key))
        #expect(job.failures == 1)
        #expect(job.lastError?.contains("does not exist") == true, "\(job.lastError ?? "")")
    }

    @Test func turningBackupsOffCancelsTheJob() async throws {
        let rig = try await Self.rig(backupLines: "backup_dir = \"/tmp\"")
        defer { rig.directory.remove() }
        #expect(try await rig.store.job(DailyBackupJob.self, key: DailyBackupJob.key) != nil)
        var off = rig.config
        off.storage.backupDir = ""
        try await DailyBackupJob.ensureScheduled(in: rig.store, config: off)
        #expect(try await rig.store.job(DailyBackupJob.self, key: DailyBackupJob.key) == nil)
    }
}
