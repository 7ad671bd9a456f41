import ArgumentParser
import BotKit
import Foundation

/// `pollbot restore`: a backup in place of the stopped bot's database.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the database with a backup (stop the bot first); the old one is kept as <path>.before-restore-<time>.")
    @OptionGroup var options: ConfigOption
    @Option(help: "The backup to restore, made by pollbot backup or the daily backup.") var from: String

    func run() async throws {
        let config = try options.load()
        do {
            let report = try await DatabaseRestore.restore(from: from, to: config.storage.path, schemas: TraderApp.schemas)
            print("restored \(from) to \(config.storage.path) (mode 0600), verified:")
            for line in report.check.report { print(line) }
            print(report.keptPrevious.map { "the previous database is kept as \($0)" } ?? "there was no previous database")
            print("start the bot with the master key the backup was made with (\(config.security.keyFile)), "
                + "or the linked accounts' keys will not open")
        } catch let error as BotStartupError {
            throw failure("\(error); nothing was replaced", code: error.exitCode)
        } catch let error as BackupError {
            throw failure("restore refused, nothing was replaced: \(error)", code: 65)
        }
    }
}
