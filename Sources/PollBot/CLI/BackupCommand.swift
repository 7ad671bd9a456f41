import ArgumentParser
import BotKit
import Foundation

/// `pollbot backup`: a checked copy of the database, taken while the bot runs.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database while the bot runs (SQLite online backup), verified, mode 0600; API keys stay sealed.")
    @OptionGroup var options: ConfigOption
    @Option(help: "Where to write the backup; an existing file is refused unless --force.") var out: String
    @Flag(help: "Replace an existing file at --out.") var force = false

    func run() async throws {
        let config = try options.load()
        // No instance lock: the backup reads beside the running bot through a connection of its own.
        do {
            let check = try await SQLiteBackup.copy(databasePath: config.storage.path, to: out, force: force)
            print("backed up \(config.storage.path) to \(out) (mode 0600), verified:")
            for line in check.report { print(line) }
            print(Self.keyNote(keyFile: config.security.keyFile))
        } catch let error as BackupError {
            throw failure("backup failed, \(out) was not written: \(error)", code: 1)
        }
    }

    /// Why the backup alone is not enough, and where the key belongs.
    static func keyNote(keyFile: String) -> String {
        "API keys in the backup stay sealed with the master key (\(keyFile)): without that key the backup cannot open them. "
            + "Keep a copy of the key apart from the backups (a password manager or another machine), never beside them."
    }
}
