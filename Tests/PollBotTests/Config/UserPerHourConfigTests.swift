import BotKit
@testable import PollBot
import Foundation
import Testing

/// `[limits] user_per_hour`: defaults to 600, from 1 to 100000, errors name the key and its line.
extension ConfigLoaderTests {
    @Test func userPerHourDefaultsTo600AndReachesTheEngine() throws {
        #expect(try ConfigLoader.parse("[telegram]\ntoken = \"1:a\"\n").limits.userPerHour == 600)
        let config = try ConfigLoader.parse("[telegram]\ntoken = \"1:a\"\n[limits]\nuser_per_hour = 120\n")
        #expect(config.limits.userPerHour == 120)
        #expect(TraderApp.settings(config).userPerHour == 120)
    }

    @Test func userPerHourOutOfRangeAndWrongTypesAreRefusedWithTheirLine() {
        for value in ["0", "100001", "-5"] {
            #expect(message("[telegram]\ntoken = \"1:a\"\n[limits]\nuser_per_hour = \(value)\n")
                    == "bot.toml line 4: limits.user_per_hour must be from 1 to 100000")
        }
        #expect(message("[telegram]\ntoken = \"1:a\"\n[limits]\nuser_per_hour = \"many\"\n")
                == "bot.toml: line 4: limits.user_per_hour must be a whole number")
        #expect(message("[telegram]\ntoken = \"1:a\"\n[limits]\nuser_per_hour = 1e308\n").contains("limits.user_per_hour"))
    }
}
