import Foundation

/// What the engine needs to run a bot: Telegram, storage, keys, access and limits. The app fills it from its config.
public struct BotSettings: Sendable {
    /// The bot token; never printed (see `redactedToken`).
    public var token: String
    public var apiURL: String = "https://api.telegram.org"
    public var pollTimeout: Int = 25
    /// A command older than this many seconds when first seen is not run (the bot was offline).
    public var staleAfter: Int = 120
    /// Keep within Telegram's flood limits (off only for benchmarks).
    public var floodLimits: Bool = true
    public var databasePath: String
    /// Days of command log kept.
    public var logDays: Int = 90
    /// The master key file; `.next` and `.old` beside it during a rotation.
    public var keyFile: String
    /// Empty: anyone may use the bot.
    public var allowedUsers: [Int64] = []
    public var admins: [Int64] = []
    /// Commands and button presses per user per minute; 0 turns the limit off.
    public var userPerMinute: Int = 30
    public var userBurst: Int = 10
    /// Commands and button presses per user per hour, beside the minute's limit; 0 turns it off.
    public var userPerHour: Int = 600
    /// Across all users; 0 turns the limit off.
    public var globalPerSecond: Int = 20
    /// Seconds one update's handler may take before it is stopped and the user told.
    public var handlerTimeout: Int = 60
    /// Times shown to users are in this zone.
    public var timeZone: ZoneRules = .system
    /// The admin listener (`/metrics`, `/healthz`, `/readyz`); nil leaves it off.
    public var admin: AdminSettings?
    /// The outbox is stuck, and the bot not ready, when its oldest row has waited this long.
    public var outboxStuckAfter: Duration = .seconds(600)

    public init(token: String, databasePath: String, keyFile: String) {
        self.token = token
        self.databasePath = databasePath
        self.keyFile = keyFile
    }

    /// The token as logs may show it: `123456:***`.
    public var redactedToken: String { Self.redact(token) }

    /// Keeps the bot id, hides the secret part.
    public static func redact(_ token: String) -> String {
        let id = token.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return id.allSatisfy(\.isNumber) && !id.isEmpty ? "\(id):***" : "***"
    }
}
