import BotKit
import Foundation
import TestSupport
import Testing

/// A restore from a database copied with `cp` while it ran: its last transactions live in the `-wal` beside it.
@Suite struct RestoreSideFilesTests {
    @Test func aWalBesideTheBackupIsFoldedInNotDropped() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try await SQLiteBackupTests.filledStore(directory, rows: 3)
        let base = directory.file("base.db")
        _ = try await SQLiteBackup.copy(databasePath: source.path, to: base)
        // A running bot on the copy: its newest write sits in base.db-wal until a checkpoint, which never comes here.
        let live = try BotStore(path: base)
        try await live.setMeta("late", "written just before the copy")
        #expect(FileManager.default.fileExists(atPath: base + "-wal"))
        let copied = directory.file("copied.db")
        try FileManager.default.copyItem(atPath: base, toPath: copied)
        try FileManager.default.copyItem(atPath: base + "-wal", toPath: copied + "-wal")

        let target = directory.file("restored.sqlite3")
        let report = try await DatabaseRestore.restore(from: copied, to: target, schemas: [])
        #expect(report.check.rows(in: "meta") == 4)
        let restored = try BotStore(path: target)
        #expect(try await restored.meta("late") == "written just before the copy")
        // The copy it was restored from is left as it was.
        #expect(FileManager.default.fileExists(atPath: copied + "-wal"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains(".tmp-") })
        _ = live
    }
}
