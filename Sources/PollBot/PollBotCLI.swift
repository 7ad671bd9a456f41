import ArgumentParser
import BotKit
import Foundation
import Logging

/// `pollbot`: the command line. Thin: every piece of behaviour lives in BotKit.
@main
struct PollBotCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pollbot",
        abstract: "A Telegram bot for self-hosted traders.",
        subcommands: [Run.self, CheckConfig.self],
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
            FileHandle.standardError.write(Data("pollbot: \(error.message)\n".utf8))
            throw ExitCode(78)
        }
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the bot (the default).")
    @OptionGroup var options: ConfigOption

    func run() async throws {
        LoggingSystem.bootstrap(LogSetup.handler)
        let config = try options.load()
        let code = await Bot.main(config: config, logger: Logger(label: "pollbot"))
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

enum LogSetup {
    /// Logs to standard error (systemd's journal); level from `POLLBOT_LOG_LEVEL`, default info.
    @Sendable static func handler(label: String) -> any LogHandler {
        var handler = StreamLogHandler.standardError(label: label)
        let level = ProcessInfo.processInfo.environment["POLLBOT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        handler.logLevel = level ?? .info
        return handler
    }
}

