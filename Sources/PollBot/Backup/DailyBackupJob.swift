import BotKit
import Foundation

/// The bot's own daily backup into `[storage] backup_dir` (03:30 in `[broker] time_zone`; after downtime once, late),
/// keeping the newest `backup_keep` of its `pollbot-YYYYMMDD-HHMMSS.db` files. A failed backup is a failed run: logged,
/// counted and retried with the scheduler's backoff.
enum DailyBackupJob: JobKind {
    typealias Services = TraderServices

    struct Parameters: Codable, Sendable, Equatable {}

    static let name = "daily_backup"
    /// The one job's key.
    static let key = "all"
    /// The start of every backup file name; retention deletes only files named so.
    static let prefix = "pollbot"

    /// 03:30 local: after the evening's summaries and before the market's pre-open.
    static func schedule(_ config: BotConfig) -> JobSchedule {
        .daily(hour: 3, minute: 30, timeZone: config.broker.timeZone.identifier)
    }

    /// The rotation `[storage]` asks for, or nil when daily backups are off.
    static func rotation(_ storage: BotConfig.Storage) -> BackupRotation? {
        storage.backupDir.isEmpty ? nil : BackupRotation(directory: storage.backupDir, prefix: prefix, keep: storage.backupKeep)
    }

    /// Schedules the backup when `[storage] backup_dir` is set, and cancels it when it no longer is.
    static func ensureScheduled(in store: BotStore, config: BotConfig, now: Date = Date()) async throws {
        if rotation(config.storage) == nil {
            _ = try await store.cancelJob(Self.self, key: key)
        } else {
            try await store.ensureJob(Self.self, key: key, parameters: Parameters(), schedule: schedule(config), now: now)
        }
    }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        // Turned off since it was scheduled (the next start cancels the row).
        guard let rotation = rotation(context.services.config.storage) else { return JobResult() }
        let outcome = try await rotation.run(databasePath: context.store.path, now: context.now)
        context.logger.info("daily backup written", metadata: [
            "file": "\(outcome.path)", "bytes": "\(outcome.check.bytes)", "late": "\(context.isLate)",
            "removed": "\(outcome.removed.joined(separator: ","))",
        ])
        return JobResult()
    }
}
