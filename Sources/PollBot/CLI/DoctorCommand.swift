import ArgumentParser
import Foundation

/// `pollbot doctor --config FILE`: one line per check (config, key file, database, Telegram, brokers, admin port,
/// time zone, charts) with the fix; exits 1 when any check failed.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a setup: config, key file, database directory, Telegram token, broker hosts, admin port, time zone, charts.")
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let report = await Doctor.run(configPath: options.config)
        for line in report.lines { print(line.text) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
