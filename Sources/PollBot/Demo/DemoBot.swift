import BotKit
import Foundation
import Logging

/// The demo's bot: the whole app on the paper broker, with `DemoTelegram` for the network, a database and master key
/// in `directory`, and a clock `/demo_time` moves (the jobs, the paper market and the market hours all run by it).
public struct DemoBot: Sendable {
    public let bot: Bot<TraderServices>
    public let telegram: DemoTelegram
    public let clock: BotClock
    public let config: BotConfig

    /// The demo's commands: the app's, and /demo_time, which a live bot never has.
    public static let registry = TraderApp.registry.adding([DemoTimeCommand.self])

    /// Creates the key and the settings in `directory` (which must exist) and the bot on them; nothing runs yet.
    public init(directory: String, telegram: DemoTelegram, clock: BotClock = BotClock(), logger: Logger) throws {
        _ = try MasterKey.generate(to: "\(directory)/master.key")
        config = try ConfigLoader.parse("""
            [telegram]
            token = "1000000:offline-demo"
            api_url = "http://demo.invalid"
            poll_timeout = 1
            flood_limits = false
            [storage]
            path = "\(directory)/demo.sqlite3"
            [security]
            key_file = "\(directory)/master.key"
            [broker]
            kind = "paper"
            [limits]
            user_per_minute = 0
            global_per_second = 0
            [trading]
            # The demo trades on paper, at any hour: every order is previewed, checked and confirmed as a real one.
            enabled = true
            users = [\(DemoTelegram.userID)]
            market_hours_only = false
            """, fileName: "demo settings")
        self.telegram = telegram
        self.clock = clock
        bot = try TraderApp.bot(config: config, registry: Self.registry, logger: logger, telegram: telegram, clock: clock)
    }

    /// What the demo says about the market at its clock's time, for the welcome.
    public var marketStatus: String {
        HTML.plainText(DemoMarketHours(calendar: .india, timeZone: config.broker.timeZone).status(at: clock.now()))
    }

    /// Types `line` (a number presses that button of the last keyboard) and waits until the bot has answered and
    /// every reply went out; false when a number names no button.
    public func send(_ line: String) async -> Bool {
        let updateID: Int64?
        if let number = Int(line) { updateID = await telegram.press(number) } else { updateID = await telegram.type(line) }
        guard let updateID else { return false }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, await !bot.isSettled(through: updateID) {
            try? await Task.sleep(for: .milliseconds(15))
        }
        return true
    }
}
