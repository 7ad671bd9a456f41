import BotKit
import Foundation
import PollBot

/// A real `Bot` running in-process against a fake Telegram, with its own database.
public final class BotHarness: Sendable {
    public let fake: FakeTelegram
    public let directory: TemporaryDirectory
    public let config: BotConfig
    public let bot: Bot<TraderServices>
    /// The commands it runs: pollbot's, plus whatever a test added.
    public let registry: CommandRegistry<TraderServices>
    /// What the bot logged (its main logger: router, handlers, lifecycle).
    public let logs = LogCapture()
    private let task: Task<Void, any Error>

    /// bot.toml text for a bot talking to `fake`, storing in `directory`.
    /// Also writes the master key into `directory` if there is none yet. Rate limits are off unless
    /// `userPerMinute` is set; `extra` lines land in `[security]` or may open later sections.
    public static func configText(fake: FakeTelegram, directory: TemporaryDirectory, staleAfter: Int = 120,
                                  floodLimits: Bool = true, pollTimeout: Int = 2, userPerMinute: Int = 0,
                                  extra: String = "") -> String {
        if !FileManager.default.fileExists(atPath: directory.file("master.key")) {
            _ = try? MasterKey.generate(to: directory.file("master.key"))
        }
        return """
        [telegram]
        token = "\(fake.token)"
        api_url = "\(fake.apiURL)"
        poll_timeout = \(pollTimeout)
        stale_after = \(staleAfter)
        flood_limits = \(floodLimits)
        [storage]
        path = "\(directory.file("pollbot.sqlite3"))"
        [limits]
        user_per_minute = \(userPerMinute)
        global_per_second = 0
        [security]
        key_file = "\(directory.file("master.key"))"
        \(extra)
        """
    }

    /// Starts a fake (unless given) and a bot on it.
    public static func start(fake: FakeTelegram? = nil, staleAfter: Int = 120, floodLimits: Bool = false,
                             userPerMinute: Int = 0, extra: String = "",
                             registry: CommandRegistry<TraderServices> = TraderApp.registry) async throws -> BotHarness {
        let fake = if let fake { fake } else { try await FakeTelegram.start(floodLimits: floodLimits) }
        let directory = try TemporaryDirectory()
        let config = try ConfigLoader.parse(configText(fake: fake, directory: directory, staleAfter: staleAfter,
                                                       floodLimits: floodLimits, userPerMinute: userPerMinute, extra: extra))
        return try BotHarness(fake: fake, directory: directory, config: config, registry: registry)
    }

    private init(fake: FakeTelegram, directory: TemporaryDirectory, config: BotConfig,
                 registry: CommandRegistry<TraderServices> = TraderApp.registry) throws {
        self.fake = fake
        self.directory = directory
        self.config = config
        self.registry = registry
        let bot = try TraderApp.bot(config: config, registry: registry, logger: logs.logger("pollbot"))
        self.bot = bot
        task = Task { try await bot.run() }
    }

    /// Stops the bot gracefully and waits for it; returns what `run` threw, if anything.
    @discardableResult
    public func stop() async -> (any Error)? {
        await bot.requestStop()
        do {
            try await task.value
            return nil
        } catch {
            return error
        }
    }

    /// Stops this bot gracefully and starts a new one on the same fake, database and key: the bot after a restart.
    public func restarted() async throws -> BotHarness {
        await stop()
        return try BotHarness(fake: fake, directory: directory, config: config, registry: registry)
    }

    /// Stops the bot and the fake and removes the directory.
    public func shutdown() async {
        await stop()
        await fake.stop()
        directory.remove()
    }

    /// Waits for the bot's run to end on its own (a fatal error) and returns the error.
    public func failure() async -> (any Error)? {
        do {
            try await task.value
            return nil
        } catch {
            return error
        }
    }
}
