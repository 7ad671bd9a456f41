import BotKit
import Foundation

/// The settings of bot.toml, resolved and checked.
public struct BotConfig: Sendable {
    public struct Telegram: Sendable {
        /// The bot token; never printed (see `redactedToken`).
        public var token: String
        public var apiURL: String
        public var pollTimeout: Int
        public var staleAfter: Int
        public var floodLimits: Bool
    }

    public struct Storage: Sendable {
        public var path: String
        /// Days of command log kept.
        public var logDays: Int
        /// Where the bot writes its daily backup; empty turns daily backups off.
        public var backupDir = ""
        /// How many daily backups to keep (1 to 365).
        public var backupKeep = 7
    }

    public struct Broker: Sendable {
        /// Which broker answers: OpenAlgo over REST, or the built-in paper broker.
        public enum Kind: String, Sendable { case openalgo, paper }
        public var kind: Kind
        /// The OpenAlgo host used when /link names none.
        public var host: String
        /// The hosts /link may name; the bot never calls a URL a user typed.
        public var hosts: [String]
        public var connectTimeout: Int
        public var timeout: Int
        /// Shown before amounts.
        public var currency: String
        /// The exchange /quote and /chart use when none is named.
        public var defaultExchange: String
        /// Times shown to users ("as of 14:02:31") are in this zone.
        public var timeZone: ZoneRules
    }

    /// How long broker answers are reused, in seconds per kind of call; 0 turns caching off.
    public struct Cache: Sendable {
        public var quotes: Int
        public var positions: Int
        public var orders: Int
        public var trades: Int
        public var funds: Int
        public var holdings: Int
    }

    public struct Charts: Sendable {
        public enum Theme: String, Sendable { case light, dark }
        public var theme: Theme
    }

    public struct Limits: Sendable {
        /// Commands and button presses per user per minute; 0 turns the limit off.
        public var userPerMinute: Int
        public var userBurst: Int
        /// Commands and button presses per user per hour, beside the minute's limit.
        public var userPerHour: Int = 600
        /// Across all users; 0 turns the limit off.
        public var globalPerSecond: Int
        /// Seconds one update's handler may take before it is stopped and the user told.
        public var handlerTimeout: Int
    }

    public struct Conversations: Sendable {
        /// Seconds a guided conversation waits for the next answer before it ends with a notice.
        public var timeout: Int
    }

    public struct Security: Sendable {
        public var keyFile: String
        public var allowedUsers: [Int64]
        public var admins: [Int64]
    }

    public var telegram: Telegram
    public var storage: Storage
    public var security: Security
    public var broker: Broker
    public var limits: Limits
    public var cache: Cache
    public var charts: Charts
    public var conversations: Conversations
    public var analysis: AnalysisSettings
    public var trading: TradingSettings
    public var alerts = AlertSettings()
    /// `[admin]`: the metrics and health listener (off by default).
    public var admin = AdminConfig()

    /// The token as logs may show it: `123456:***`.
    public var redactedToken: String { Self.redact(telegram.token) }

    /// Keeps the bot id, hides the secret part.
    public static func redact(_ token: String) -> String {
        let id = token.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return id.allSatisfy(\.isNumber) && !id.isEmpty ? "\(id):***" : "***"
    }
}
