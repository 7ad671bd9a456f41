import BotKit
@testable import PollBot
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

    @Test func brokerCacheAndChartSettingsHaveDefaultsAndAreChecked() throws {
        let config = try ConfigLoader.parse("[telegram]\ntoken = \"1:a\"\n")
        #expect(config.broker.kind == .openalgo && config.broker.currency == "\u{20B9}" && config.broker.defaultExchange == "NSE")
        #expect(config.broker.timeZone.identifier == "Asia/Kolkata")
        #expect(config.cache.quotes == 15 && config.cache.positions == 30 && config.cache.funds == 300 && config.cache.holdings == 300)
        #expect(config.charts.theme == .light)
        let paper = try ConfigLoader.parse("[telegram]\ntoken = \"1:a\"\n[broker]\nkind = \"paper\"\ndefault_exchange = \"bse\"\n[cache]\nquotes = 0\n[charts]\ntheme = \"dark\"\n")
        #expect(paper.broker.kind == .paper && paper.broker.defaultExchange == "BSE" && paper.cache.quotes == 0 && paper.charts.theme == .dark)
        #expect(message("[telegram]\ntoken = \"1:a\"\n[broker]\nkind = \"zerodha\"\n") == "bot.toml line 4: broker.kind must be \"openalgo\" or \"paper\"")
        #expect(message("[telegram]\ntoken = \"1:a\"\n[broker]\ndefault_exchange = \"NYSE\"\n").contains("broker.default_exchange must be one of NSE BSE"))
        #expect(message("[telegram]\ntoken = \"1:a\"\n[broker]\ntime_zone = \"Mars/Base\"\n").contains("broker.time_zone must be a time zone name"))
        #expect(message("[telegram]\ntoken = \"1:a\"\n[cache]\nfunds = -1\n") == "bot.toml line 4: cache.funds must be from 0 to 86400 seconds")
        #expect(message("[telegram]\ntoken = \"1:a\"\n[charts]\ntheme = \"neon\"\n") == "bot.toml line 4: charts.theme must be \"light\" or \"dark\"")
        #expect(message("[telegram]\ntoken = \"1:a\"\n[cache]\nquotes = \"soon\"\n") == "bot.toml: line 4: cache.quotes must be a whole number of seconds")
    }

    @Test func theExampleConfigIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../etc/bot.example.toml")
        let config = try ConfigLoader.load(path: url.path)
        #expect(config.broker.kind == .openalgo && config.cache.funds == 300 && config.limits.handlerTimeout == 60)
    }
}

extension ConfigLoaderTests {
    @Test func handlerTimeoutDefaultsToSixtySecondsAndIsChecked() throws {
        let base = "[telegram]\ntoken = \"1:abc\"\n"
        #expect(try ConfigLoader.parse(base).limits.handlerTimeout == 60)
        #expect(try ConfigLoader.parse(base + "[broker]\ntimeout = 4\n[limits]\nhandler_timeout = 5\n").limits.handlerTimeout == 5)
        #expect(message(base + "[limits]\nhandler_timeout = 10\n")
            == "bot.toml line 4: limits.handler_timeout must be longer than broker.timeout (10 s), so a broker call can finish first")
        #expect(message(base + "[broker]\ntimeout = 0\n").hasSuffix("broker.timeout must be from 1 to 300 seconds"))
        #expect(message(base + "[broker]\nconnect_timeout = 0\n").hasSuffix("broker.connect_timeout must be from 1 to 60 seconds"))
        #expect(message(base + "[limits]\nhandler_timeout = 0\n") == "bot.toml line 4: limits.handler_timeout must be from 1 to 3600 seconds")
        #expect(message(base + "[limits]\nhandler_timeout = \"1m\"\n").contains("line 4: limits.handler_timeout must be a whole number of seconds"))
    }

    @Test func conversationAndAnalysisSettingsHaveDefaultsAndAreChecked() throws {
        let base = "[telegram]\ntoken = \"1:abc\"\n"
        let defaults = try ConfigLoader.parse(base)
        #expect(defaults.conversations.timeout == 600)
        #expect(defaults.analysis == AnalysisSettings(targetDays: 30, riskFreeRate: 0.065))
        let set = try ConfigLoader.parse(base + "[conversations]\ntimeout = 120\n[analysis]\ntarget_days = 45\nrisk_free_rate = 7.25\n")
        #expect(set.conversations.timeout == 120 && set.analysis.targetDays == 45 && abs(set.analysis.riskFreeRate - 0.0725) < 1e-12)
        // A whole number is a rate too.
        #expect(try ConfigLoader.parse(base + "[analysis]\nrisk_free_rate = 7\n").analysis.riskFreeRate == 0.07)
        #expect(message(base + "[conversations]\ntimeout = 5\n") == "bot.toml line 4: conversations.timeout must be from 60 to 86400 seconds")
        #expect(message(base + "[analysis]\ntarget_days = 0\n") == "bot.toml line 4: analysis.target_days must be from 1 to 365 days")
        for bad in ["nan", "inf", "-1", "1e308", "26"] {
            #expect(message(base + "[analysis]\nrisk_free_rate = \(bad)\n").hasSuffix("analysis.risk_free_rate must be a percentage from 0 to 25, like 6.5"))
        }
        #expect(message(base + "[analysis]\nrisk_free_rate = \"6.5%\"\n").contains("analysis.risk_free_rate must be a percentage, like 6.5"))
        // The bot's conversations run under the configured limit.
        let registry = TraderApp.app(config: set).registry
        #expect(registry.timeout(of: StockAnalysisFlow.self) == 120)
    }
}
