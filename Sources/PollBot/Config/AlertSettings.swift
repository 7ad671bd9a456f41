import BotKit
import Foundation

/// bot.toml's `[alerts]`: how often price alerts are checked, whether only while the market is open, how many a user may
/// keep, how often watched order books are read, and when the daily summary goes out.
public struct AlertSettings: Sendable, Equatable {
    /// Seconds between two checks of every armed price alert.
    public var checkInterval = 10
    /// Checks only while the market is open: outside it prices do not move, and each check would still cost a call.
    public var marketHoursOnly = true
    /// The most armed price alerts one user may keep.
    public var maxPerUser = 50
    /// Seconds between two reads of the order books watched for order notifications (while the market is open).
    public var orderCheckInterval = 15
    /// The daily summary's local time (in `[broker] time_zone`): hour and minute.
    public var summaryHour = 15
    public var summaryMinute = 45

    public init() {}

    /// The section as written; every key optional so that defaults apply.
    struct File: Decodable {
        var checkInterval: Int?
        var marketHoursOnly: Bool?
        var maxPerUser: Int?
        var orderCheckInterval: Int?
        var summaryTime: String?

        enum CodingKeys: String, CodingKey {
            case checkInterval = "check_interval", marketHoursOnly = "market_hours_only", maxPerUser = "max_per_user"
            case orderCheckInterval = "order_check_interval", summaryTime = "summary_time"
        }
    }

    /// The settings for `file`, range-checked; `fail(key, problem)` builds the error naming the key and its line.
    static func resolve(_ file: File?, fail: (String, String) -> ConfigError) throws -> AlertSettings {
        var settings = AlertSettings()
        guard let file else { return settings }
        if let value = file.checkInterval {
            // Below 5 s a check could still be running when the next is due; a day is the longest that still means "watch".
            guard (5...86_400).contains(value) else { throw fail("alerts.check_interval", "must be from 5 to 86400 seconds") }
            settings.checkInterval = value
        }
        settings.marketHoursOnly = file.marketHoursOnly ?? settings.marketHoursOnly
        if let value = file.maxPerUser {
            guard (1...1000).contains(value) else { throw fail("alerts.max_per_user", "must be from 1 to 1000") }
            settings.maxPerUser = value
        }
        if let value = file.orderCheckInterval {
            // Each read costs an orderbook call per account: below 5 s it would crowd OpenAlgo's 10/s limit.
            guard (5...86_400).contains(value) else { throw fail("alerts.order_check_interval", "must be from 5 to 86400 seconds") }
            settings.orderCheckInterval = value
        }
        if let value = file.summaryTime {
            guard let time = parseTime(value) else { throw fail("alerts.summary_time", "must be a time from \"00:00\" to \"23:59\"") }
            (settings.summaryHour, settings.summaryMinute) = time
        }
        return settings
    }

    /// What each key holds, for error messages.
    static let expectedTypes: [String: String] = [
        "alerts.check_interval": "a whole number of seconds", "alerts.market_hours_only": "true or false",
        "alerts.max_per_user": "a whole number", "alerts.order_check_interval": "a whole number of seconds",
        "alerts.summary_time": "a time such as \"15:45\"",
    ]

    /// "HH:MM" (24-hour, one or two hour digits) as hour and minute; nil for anything else.
    static func parseTime(_ text: String) -> (hour: Int, minute: Int)? {
        // Split by hand, not with a Regex: the config is read at every start, and a Regex literal is compiled at first use.
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].utf8.count), parts[1].utf8.count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        return (hour, minute)
    }
}
