import BotKit
import Foundation
import Testing

@Suite struct ConfigLoaderTests {
    func message(_ text: String, environment: [String: String] = [:]) -> String {
        do {
            _ = try ConfigLoader.parse(text, environment: environment)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsApply() throws {
        let config = try ConfigLoader.parse("[telegram]\ntoken = \"123456:ABC-def_1\"\n")
        #expect(config.telegram.apiURL == "https://api.telegram.org")
        #expect(config.telegram.pollTimeout == 25)
        #expect(config.telegram.staleAfter == 120)
        #expect(config.telegram.floodLimits)
        #expect(config.security.allowedUsers.isEmpty)
    }

    @Test func unknownKeysAreNamedWithTheirLine() {
        #expect(message("[telegram]\ntoken = \"1:a\"\npoll_timout = 5\n") ==
            "bot.toml: unknown key telegram.poll_timout (line 3); see etc/bot.example.toml for the keys")
    }

    @Test func wrongTypesAreNamedWithTheirLine() {
        #expect(message("[telegram]\ntoken = \"1:a\"\n\nflood_limits = \"yes\"\n") == "bot.toml: line 4: telegram.flood_limits must be true or false")
    }

    @Test func aMissingTokenSaysWhereToPutIt() {
        #expect(message("[storage]\npath = \"x.db\"\n").contains("telegram.token is missing"))
    }

    @Test func theEnvironmentOverridesTheToken() throws {
        let config = try ConfigLoader.parse("[telegram]\ntoken = \"1:file\"\n", environment: ["POLLBOT_TELEGRAM_TOKEN": "2:env"])
        #expect(config.telegram.token == "2:env")
    }

    @Test func theTokenIsNeverShownWhole() throws {
        let config = try ConfigLoader.parse("[telegram]\ntoken = \"123456:SECRET-part\"\n")
        #expect(config.redactedToken == "123456:***")
        #expect(!message("[telegram]\ntoken = \"123456:SECRET part\"\n").contains("SECRET"))
    }

    @Test func outOfRangeValuesAreRefused() {
        #expect(message("[telegram]\ntoken = \"1:a\"\npoll_timeout = 90\n") == "bot.toml line 3: telegram.poll_timeout must be from 1 to 50 seconds")
    }
}
