import ArgumentParser
import BotKit
import Foundation
import Logging

/// `pollbot`: the command line. Thin: the bot is `TraderApp` on the BotKit engine.
public struct PollBotCLI: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "pollbot",
        abstract: "A Telegram bot for self-hosted traders.",
        subcommands: [Run.self, Demo.self, CheckConfig.self, DoctorCommand.self, Keygen.self, RotateKey.self, Users.self, UserCommand.self, Stats.self, Inbox.self, Orders.self,
                      Backup.self, Restore.self],
        defaultSubcommand: Run.self)
}

/// Options every subcommand that reads bot.toml shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "Path to bot.toml.")
    var config: String = "bot.toml"

    func load() throws -> BotConfig {
        do {
            return try ConfigLoader.load(path: config)
        } catch let error as ConfigError {
            throw failure(error.message, code: 78)
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the bot (the default).")
    @OptionGroup var options: ConfigOption

    func run() async throws {
        LoggingSystem.bootstrap(LogSetup.handler)
        // Before any key is read: a core dump or a debugger attached by the same user could read it.
        if !ProcessHardening.forbidCoreDumps() { Logger(label: "pollbot").warning("could not make the process non-dumpable") }
        let config = try options.load()
        let code = await TraderApp.main(config: config, logger: Logger(label: "pollbot"))
        if code != 0 { throw ExitCode(code) }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The whole bot offline in this terminal, with the paper broker: no token, no config.")

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let interactive = isatty(STDIN_FILENO) == 1
        let environment = ProcessInfo.processInfo.environment
        let ansi = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        // FileHandle writes go straight to the descriptor: no stdio buffer to flush between lines.
        let code = await DemoSession.run(interactive: interactive, ansi: ansi, output: { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }, prompt: {
            FileHandle.standardOutput.write(Data("you> ".utf8))
        })
        if code != 0 { throw ExitCode(code) }
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate bot.toml without starting.")
    @OptionGroup var options: ConfigOption

    func run() throws {
        let config = try options.load()
        print("\(options.config) is valid: bot \(config.redactedToken), database \(config.storage.path), api \(config.telegram.apiURL)")
    }
}

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a new 32-byte master key (mode 0600); never overwrites.")
    @Option(name: .long, help: "Where to write the key.")
    var out: String

    func run() throws {
        ProcessHardening.forbidCoreDumps()
        do {
            let key = try MasterKey.generate(to: out)
            print("wrote master key \(key.id) to \(out) (mode 0600); set [security] key_file = \"\(out)\"")
        } catch let error as ConfigError {
            throw failure(error.message, code: 78)
        }
    }
}

struct RotateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key", abstract: "Re-seal every stored API key with a new master key (stop the bot first).")
    @OptionGroup var options: ConfigOption
    @Option(name: .customLong("new-key"), help: "The new key, made with pollbot keygen.")
    var newKey: String

    func run() async throws {
        ProcessHardening.forbidCoreDumps()
        let config = try options.load()
        do {
            let lock = try InstanceLock(databasePath: config.storage.path)
            // Opened with the keys of any unfinished rotation, so that every row opens.
            let store = try await TraderApp.openStore(path: config.storage.path, vault: try KeyRing.load(keyFile: config.security.keyFile))
            let done = try await KeyRing.rotate(store: store, keyFile: config.security.keyFile, newKeyFile: newKey)
            withExtendedLifetime(lock) {}
            print("re-sealed \(done.rows) account keys and \(done.inboxRows) pending updates; \(config.security.keyFile) is now the new key"
                + (done.retiredOldKey ? "; the old key is deleted (no row needs it)" : ""))
            if !done.unopenable.isEmpty {
                print("\(done.unopenable.count) stored keys opened with no master key (tampered, or sealed for another host) "
                    + "and were left unusable; their users must /link again: " + done.unopenable.joined(separator: ", "))
            }
        } catch let error as BotStartupError {
            throw failure("\(error)", code: error.exitCode)
        } catch {
            throw failure("rotate-key failed; every row still opens with the old or the new key: \(error)", code: 1)
        }
    }
}

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List users: id, username, accounts, last active (no secrets); or disable or enable one (safe while the bot runs).")
    @OptionGroup var options: ConfigOption
    @Option(help: "Refuse this user id like a stranger and stop their alerts and summaries.") var disable: Int64?
    @Option(help: "Serve this disabled user id again.") var enable: Int64?

    func run() async throws {
        if disable != nil || enable != nil { return try await UserSwitch.run(disable: disable, enable: enable, options: options) }
        let store = try await TraderApp.openStore(path: try options.load().storage.path)
        let formatter = ISO8601DateFormatter()
        print("user_id\tusername\taccounts\tlast_active")
        for user in try await store.userSummaries() {
            print("\(user.userID)\t\(user.username.map { "@\($0)" } ?? "-")\t\(user.accounts.isEmpty ? "-" : user.accounts.joined(separator: ","))\t\(formatter.string(from: user.lastActive))")
        }
    }
}

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per-command counts, success rate, p50/p95 latency, active users, and how guided conversations ended.")
    @OptionGroup var options: ConfigOption
    @Option(help: "How many days back.") var days: Int = 7

    func run() async throws {
        let store = try await TraderApp.openStore(path: try options.load().storage.path)
        let (commands, active) = try await store.commandStats(days: days)
        print("last \(days) days: \(active) active users")
        print("command\tcount\tsuccess\tp50_ms\tp95_ms")
        for row in commands {
            print("\(row.command)\t\(row.count)\t\(String(format: "%.0f%%", row.successRate * 100))\t\(row.p50Milliseconds)\t\(row.p95Milliseconds)")
        }
        print("")
        print("conversation\tstarted\tcompleted\tcancelled\ttimed_out\treplaced\tabandoned\tcompletion")
        for row in try await store.conversationStats(days: days) {
            let rate = row.completionRate.map { String(format: "%.0f%%", $0) } ?? "-"
            print("\(row.name)\t\(row.started)\t\(row.completed)\t\(row.cancelled)\t\(row.timedOut)\t\(row.replaced)\t\(row.abandoned)\t\(rate)")
        }
    }
}

struct Inbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count inbox rows; --failed lists the updates the bot gave up (no payloads). Safe while the bot runs.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "List failed updates: id, chat, received, attempts, error id, reason.") var failed = false

    func run() async throws {
        // No instance lock: SQLite's WAL lets this read beside the running bot.
        let store = try await TraderApp.openStore(path: try options.load().storage.path)
        if failed {
            print(FailedUpdate.table(try await store.failedUpdates()))
        } else {
            let counts = try await store.inboxCounts()
            print("pending \(counts.pending), handled \(counts.handled), failed \(counts.failed) (list them with --failed)")
        }
    }
}

struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The order audit: every preview, confirmation, expiry, placement, reconciliation and result (no secrets).")
    @OptionGroup var options: ConfigOption
    @Option(help: "How many days back (1 to 3650).") var days: Int = 7

    func run() async throws {
        guard (1...3650).contains(days) else { throw failure("--days must be from 1 to 3650", code: 64) }
        let store = try await TraderApp.openStore(path: try options.load().storage.path)
        print(OrderAuditReport.table(try await store.orderAudit(since: Date().addingTimeInterval(-Double(days) * 86_400))))
    }
}

/// Prints `pollbot: message` to standard error and returns the exit code to throw.
func failure(_ message: String, code: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("pollbot: \(message)\n".utf8))
    return ExitCode(code)
}

enum LogSetup {
    /// Logs to standard error (systemd's journal); level from `POLLBOT_LOG_LEVEL`, default info.
    @Sendable static func handler(label: String) -> any LogHandler {
        var handler = StreamLogHandler.standardError(label: label)
        let level = ProcessInfo.processInfo.environment["POLLBOT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        handler.logLevel = level ?? .info
        return handler
    }
}

