import BotKit
import Foundation
import Synchronization
import TestSupport
import Testing

/// Online backups of a live store: consistent, private, never in the writer's way, and never over an existing file.
@Suite struct SQLiteBackupTests {
    /// A store with `rows` rows of about 1 KB, so a backup takes many steps.
    static func filledStore(_ directory: TemporaryDirectory, rows: Int = 600) async throws -> BotStore {
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let filler = String(repeating: "x", count: 1000)
        for index in 0..<rows { try await store.setMeta("fill-\(index)", filler) }
        return store
    }

    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test func aBackupUnderWritesIsOneSnapshotPrivateAndNeverBlocksTheWriter() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.filledStore(directory)
        let base = try #require(try await SQLiteBackup.copy(databasePath: store.path, to: directory.file("base.db")).rows(in: "meta"))
        let written = Atomic<Int>(0)
        let writer = Task {
            var index = 0
            while !Task.isCancelled {
                try await store.setMeta("load-\(index)", "v")
                index += 1
                written.store(index, ordering: .relaxed)
            }
        }
        while written.load(ordering: .relaxed) < 5 { try await Task.sleep(for: .milliseconds(1)) }
        let before = written.load(ordering: .relaxed)
        let out = directory.file("backup.db")
        // One page per step with a pause: the copy spans hundreds of steps, so the writer gets its turns in between.
        let check = try await SQLiteBackup.copy(databasePath: store.path, to: out, pagesPerStep: 1, pause: .milliseconds(1))
        let after = written.load(ordering: .relaxed)
        writer.cancel()
        _ = try? await writer.value

        #expect(after - before >= 20, "the bot's writes stalled during the backup: \(after - before)")
        let meta = try #require(check.rows(in: "meta"))
        // One snapshot: everything written before it began, and none of what came after it ended.
        #expect(meta >= base + before && meta <= base + after, "\(meta) rows, \(base) + \(before)...\(after) expected")
        #expect(check.schemaVersions["botkit"] == (try await store.schemaVersion()))
        #expect(Self.mode(out) == 0o600)
        // One file, no -wal, no leftover temporary.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("backup") || $0.hasPrefix(".") }
            == ["backup.db"])
        #expect(try await SQLiteBackup.check(path: out) == check)
        let copy = try BotStore(path: out)
        #expect(try await copy.meta("fill-599") == String(repeating: "x", count: 1000))
    }

    @Test func anExistingFileIsRefusedUnlessForced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.filledStore(directory, rows: 3)
        let out = directory.file("precious.db")
        try "keep me".write(toFile: out, atomically: true, encoding: .utf8)
        await #expect(throws: BackupError.self) { try await SQLiteBackup.copy(databasePath: store.path, to: out) }
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
        _ = try await SQLiteBackup.copy(databasePath: store.path, to: out, force: true)
        #expect(try await SQLiteBackup.check(path: out).rows(in: "meta") == 3)
        // The database itself is never a target, forced or not.
        await #expect(throws: BackupError.self) { try await SQLiteBackup.copy(databasePath: store.path, to: store.path, force: true) }
        await #expect(throws: BackupError.self) {
            try await SQLiteBackup.copy(databasePath: directory.file("missing.sqlite3"), to: directory.file("x.db"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("x.db")))
    }

    @Test func restoreSwapsTheBackupInAndKeepsThePreviousDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try await Self.filledStore(directory, rows: 4)
        let backup = directory.file("backup.db")
        _ = try await SQLiteBackup.copy(databasePath: source.path, to: backup)

        let target = directory.file("other.sqlite3")
        do {
            let old = try BotStore(path: target)
            try await old.setMeta("old", "yes")
        }
        let when = Date(timeIntervalSince1970: 1_735_787_400)  // 2025-01-02 03:10:00 UTC
        let report = try await DatabaseRestore.restore(from: backup, to: target, schemas: [], now: when)
        #expect(report.keptPrevious == target + ".before-restore-20250102-031000")
        #expect(report.check.rows(in: "meta") == 4)
        #expect(Self.mode(target) == 0o600)
        let restored = try BotStore(path: target)
        #expect(try await restored.meta("fill-3") != nil)
        #expect(try await restored.meta("old") == nil)
        let kept = try BotStore(path: try #require(report.keptPrevious))
        #expect(try await kept.meta("old") == "yes")
    }

    @Test func restoreRefusesWhileTheBotHoldsTheLock() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.filledStore(directory, rows: 2)
        let backup = directory.file("backup.db")
        _ = try await SQLiteBackup.copy(databasePath: store.path, to: backup)
        let lock = try InstanceLock(databasePath: store.path)
        let error = await #expect(throws: BotStartupError.self) {
            try await DatabaseRestore.restore(from: backup, to: store.path, schemas: [])
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("already running"))
        lock.release()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains("before-restore") })
    }

    @Test func aDamagedForeignOrNewerFileIsRefusedAndNothingIsReplaced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.filledStore(directory, rows: 2)
        // The idle checkpoint would otherwise copy the WAL into the file whenever this test runs past 1 s.
        store.checkpointer.requestCheckpoint()
        store.checkpointer.waitUntilCaughtUp()
        let original = try Data(contentsOf: URL(fileURLWithPath: store.path))

        let garbage = directory.file("garbage.db")
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: garbage))
        let foreign = directory.file("foreign.db")
        do {
            let other = try SQLiteDatabase(path: foreign)
            try other.execute("CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES('hi'); PRAGMA journal_mode=DELETE")
        }
        let newer = directory.file("newer.db")
        _ = try await SQLiteBackup.copy(databasePath: store.path, to: newer)
        do {
            let edit = try SQLiteDatabase(path: newer)
            try edit.execute("UPDATE schema_versions SET version = 999 WHERE module = 'botkit'; PRAGMA journal_mode=DELETE")
        }
        let unknown = directory.file("unknown.db")
        _ = try await SQLiteBackup.copy(databasePath: store.path, to: unknown)
        do {
            let edit = try SQLiteDatabase(path: unknown)
            try edit.execute("INSERT INTO schema_versions VALUES('futures', 1); PRAGMA journal_mode=DELETE")
        }
        let truncated = directory.file("truncated.db")
        let whole = try Data(contentsOf: URL(fileURLWithPath: newer))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncated))

        let cases = [(garbage, "not a readable SQLite database"), (foreign, "no schema_versions table"),
                     (newer, "newer than this pollbot"), (unknown, "does not know"), (truncated, "malformed")]
        for (file, reason) in cases {
            let error = await #expect(throws: BackupError.self) {
                try await DatabaseRestore.restore(from: file, to: store.path, schemas: [])
            }
            let message = error.map { "\($0)" } ?? ""
            #expect(message.contains(reason) && message.contains(file) && !message.contains(".tmp-"), "\(message)")
        }
        await #expect(throws: BackupError.self) {
            try await DatabaseRestore.restore(from: directory.file("none.db"), to: store.path, schemas: [])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store.path)) == original)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.allSatisfy { !$0.contains("before-restore") && !$0.hasPrefix(".") }, "\(names)")
    }

    @Test func retentionKeepsExactlyTheNewestNAndNeverTouchesOtherFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.filledStore(directory, rows: 1)
        let backups = directory.file("backups")
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: false)
        let foreign = ["notes.txt", "pollbot-2025.db", "pollbot-20240101-000000.db.bak", "other-20240101-000000.db",
                       "pollbot-2024010a-000000.db", "pollbot-20240101_000000.db"]
        for name in foreign { try "mine".write(toFile: backups + "/" + name, atomically: true, encoding: .utf8) }
        let rotation = BackupRotation(directory: backups, prefix: "pollbot", keep: 3)
        let start = Date(timeIntervalSince1970: 1_735_787_400)
        var outcomes: [BackupRotation.Outcome] = []
        for day in 0..<5 { outcomes.append(try await rotation.run(databasePath: store.path, now: start + Double(day) * 86_400)) }

        let names = Set(try FileManager.default.contentsOfDirectory(atPath: backups))
        let kept = ["pollbot-20250104-031000.db", "pollbot-20250105-031000.db", "pollbot-20250106-031000.db"]
        #expect(names == Set(foreign + kept))
        #expect(outcomes.map(\.removed) == [[], [], [], ["pollbot-20250102-031000.db"], ["pollbot-20250103-031000.db"]])
        #expect(kept.allSatisfy { Self.mode(backups + "/" + $0) == 0o600 })
        await #expect(throws: BackupError.self) {
            try await BackupRotation(directory: directory.file("absent"), prefix: "pollbot", keep: 3).run(databasePath: store.path, now: start)
        }
    }
}
