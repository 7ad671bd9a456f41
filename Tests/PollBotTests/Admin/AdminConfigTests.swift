import BotKit
@testable import PollBot
import Testing

/// `[admin]` in bot.toml: off unless set, loopback without a token, anything else only with one.
@Suite struct AdminConfigTests {
    static let telegram = "[telegram]\ntoken = \"123456:ABC-def_1\"\n"

    func message(_ admin: String) -> String {
        do {
            _ = try ConfigLoader.parse(Self.telegram + "[admin]\n" + admin)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func offUnlessSet() throws {
        #expect(try ConfigLoader.parse(Self.telegram).admin.settings == nil)
        #expect(try ConfigLoader.parse(Self.telegram + "[admin]\nlisten = \"\"\n").admin.settings == nil)
        #expect(TraderApp.settings(try ConfigLoader.parse(Self.telegram)).admin == nil)
    }

    @Test func loopbackNeedsNoToken() throws {
        let config = try ConfigLoader.parse(Self.telegram + "[admin]\nlisten = \"127.0.0.1:9464\"\n")
        let settings = try #require(TraderApp.settings(config).admin)
        #expect(settings.address == AdminAddress(host: "127.0.0.1", port: 9464))
        #expect(settings.token == nil)
    }

    @Test func anAddressOtherMachinesReachIsRefusedWithoutAToken() {
        #expect(message("listen = \"0.0.0.0:9464\"\n") ==
            "bot.toml line 4: admin.listen is 0.0.0.0:9464, which other machines can reach: set admin.token too, or listen on 127.0.0.1")
        #expect(message("listen = \"[::]:9464\"\n").contains("admin.listen is [::]:9464, which other machines can reach"))
    }

    @Test func withATokenItIsAccepted() throws {
        let config = try ConfigLoader.parse(Self.telegram + "[admin]\nlisten = \"0.0.0.0:9464\"\ntoken = \"0123456789abcdef0123\"\n")
        let settings = try #require(config.admin.settings)
        #expect(!settings.address.isLoopback)
        #expect(settings.token == "0123456789abcdef0123")
    }

    @Test func badValuesAreNamedWithTheirLine() {
        #expect(message("listen = \"pollbot.example.com:9464\"\n").hasPrefix("bot.toml line 4: admin.listen must name an IP address"))
        #expect(message("listen = \"127.0.0.1:99999\"\n").hasPrefix("bot.toml line 4: admin.listen must end in a port"))
        #expect(message("listen = \"127.0.0.1:9464\"\ntoken = \"short\"\n").hasPrefix("bot.toml line 5: admin.token must be at least 16"))
        #expect(message("listen = \"127.0.0.1:9464\"\ntoken = \"with spaces inside it\"\n").contains("admin.token must be"))
        #expect(message("listen = 9464\n") == "bot.toml: line 4: admin.listen must be a quoted host:port, like \"127.0.0.1:9464\"")
        #expect(message("listn = \"127.0.0.1:9464\"\n").contains("unknown key admin.listn (line 4)"))
    }
}
