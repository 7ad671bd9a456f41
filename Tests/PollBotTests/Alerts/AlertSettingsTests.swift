import BotKit
import Foundation
@testable import PollBot
import Testing

/// `[alerts]`: checks every 10 s while the market is open, 50 alerts a user; every key range-checked with its key and line.
@Suite struct AlertSettingsTests {
    let base = "[telegram]\ntoken = \"1:abc\"\n[alerts]\n"

    func message(_ text: String) -> String {
        do {
            _ = try ConfigLoader.parse(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsAndSetValues() throws {
        let defaults = try ConfigLoader.parse("[telegram]\ntoken = \"1:abc\"\n").alerts
        #expect(defaults == AlertSettings())
        #expect(defaults.checkInterval == 10 && defaults.marketHoursOnly && defaults.maxPerUser == 50)
        #expect(PriceAlertJob.schedule(defaults) == .within(window: "market_hours", .every(seconds: 10)))
        let set = try ConfigLoader.parse(base + "check_interval = 30\nmarket_hours_only = false\nmax_per_user = 5\n").alerts
        #expect(set.checkInterval == 30 && !set.marketHoursOnly && set.maxPerUser == 5)
        #expect(PriceAlertJob.schedule(set) == .every(seconds: 30))
    }

    @Test func eachKeyIsRangeCheckedWithItsLine() {
        #expect(message(base + "check_interval = 1") == "bot.toml line 4: alerts.check_interval must be from 5 to 86400 seconds")
        #expect(message(base + "check_interval = 100000") == "bot.toml line 4: alerts.check_interval must be from 5 to 86400 seconds")
        #expect(message(base + "\nmax_per_user = 0") == "bot.toml line 5: alerts.max_per_user must be from 1 to 1000")
        #expect(message(base + "max_per_user = \"many\"").contains("alerts.max_per_user must be a whole number"))
        #expect(message(base + "market_hours_only = 1").contains("alerts.market_hours_only must be true or false"))
        #expect(message(base + "check_every = 10").contains("unknown key alerts.check_every (line 4)"))
    }
}
