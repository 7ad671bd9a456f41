@testable import PollBot
import Testing

/// `[storage] backup_dir` and `backup_keep`: off and 7 by default, checked with key and line.
@Suite struct BackupConfigTests {
    static let base = "[telegram]\ntoken = \"1:a\"\n[storage]\n"

    func message(_ text: String) -> String {
        do {
            _ = try ConfigLoader.parse(Self.base + text)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func dailyBackupsAreOffByDefaultAndKeepSeven() throws {
        let config = try ConfigLoader.parse(Self.base)
        #expect(config.storage.backupDir == "")
        #expect(config.storage.backupKeep == 7)
        #expect(DailyBackupJob.rotation(config.storage) == nil)
        let on = try ConfigLoader.parse(Self.base + "backup_dir = \"/var/backups/pollbot\"\nbackup_keep = 30\n")
        #expect(on.storage.backupDir == "/var/backups/pollbot")
        #expect(DailyBackupJob.rotation(on.storage)?.keep == 30)
    }

    @Test func badValuesAreNamedWithTheirLine() {
        #expect(message("backup_keep = 0\n").contains("line 4: storage.backup_keep must be from 1 to 365"))
        #expect(message("backup_keep = 366\n").contains("storage.backup_keep must be from 1 to 365"))
        #expect(message("backup_keep = \"seven\"\n").contains("storage.backup_keep must be a whole number"))
        #expect(message("backup_keep = 1e308\n").contains("storage.backup_keep"))
        #expect(message("backup_dir = \"backups\"\n").contains("line 4: storage.backup_dir must be an absolute path"))
        #expect(message("backup_dir = 5\n").contains("storage.backup_dir must be a quoted absolute path"))
        #expect(message("backup_dir = \"\"\nbackup_keep = 365\n").isEmpty)
    }
}
