import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The credential rule: `$CREDENTIALS_DIRECTORY/telegram-token` and `/master-key`, when there, replace bot.toml's token and key file.
@Suite struct SystemdCredentialTests {
    static let config = """
    [telegram]
    token = "111:from-the-file"
    [security]
    key_file = "/etc/pollbot/master.key"
    """

    @Test func credentialsReplaceTheTokenAndTheKeyFile() throws {
        let directory = try TemporaryDirectory("pollbot-credentials")
        defer { directory.remove() }
        try "222:from-systemd\n".write(toFile: directory.file("telegram-token"), atomically: true, encoding: .utf8)
        _ = try MasterKey.generate(to: directory.file("master-key"))
        let config = try ConfigLoader.parse(Self.config, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(config.telegram.token == "222:from-systemd")
        #expect(config.security.keyFile == directory.file("master-key"))
        // The environment variable still wins over the credential, as it wins over the file.
        let overridden = try ConfigLoader.parse(Self.config, environment: [
            "CREDENTIALS_DIRECTORY": directory.path, "POLLBOT_TELEGRAM_TOKEN": "333:from-env",
        ])
        #expect(overridden.telegram.token == "333:from-env")
    }

    @Test func withoutCredentialsTheConfigIsReadAsWritten() throws {
        let empty = try TemporaryDirectory("pollbot-credentials")
        defer { empty.remove() }
        for environment in [[:], ["CREDENTIALS_DIRECTORY": empty.path]] {
            let config = try ConfigLoader.parse(Self.config, environment: environment)
            #expect(config.telegram.token == "111:from-the-file")
            #expect(config.security.keyFile == "/etc/pollbot/master.key")
        }
    }

    @Test func aKeyHandedOverBySystemdLoadsDespiteItsACLMode() throws {
        let directory = try TemporaryDirectory("pollbot-credentials")
        defer { directory.remove() }
        let path = directory.file("master-key")
        let written = try MasterKey.generate(to: path)
        // systemd grants the service read through an ACL, which shows as group read in the mode.
        chmod(path, 0o440)
        #expect(try MasterKey.load(from: path, environment: ["CREDENTIALS_DIRECTORY": directory.path]).id == written.id)
        // The same file anywhere else is refused as before.
        #expect(throws: ConfigError.self) { try MasterKey.load(from: path, environment: [:]) }
    }

    @Test func theDoctorNamesWhereTheSecretsCameFrom() async throws {
        let telegram = try await FakeTelegram.start()
        let directory = try TemporaryDirectory("pollbot-credentials")
        let credentials = try TemporaryDirectory("pollbot-credentials")
        defer { directory.remove(); credentials.remove() }
        try telegram.token.write(toFile: credentials.file("telegram-token"), atomically: true, encoding: .utf8)
        _ = try MasterKey.generate(to: credentials.file("master-key"))
        let path = directory.file("bot.toml")
        try """
        [telegram]
        token = "1:placeholder"
        api_url = "\(telegram.apiURL)"
        [storage]
        path = "\(directory.file("db.sqlite3"))"
        [broker]
        kind = "paper"
        [security]
        key_file = "\(directory.file("absent.key"))"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let report = await Doctor.run(configPath: path, environment: ["CREDENTIALS_DIRECTORY": credentials.path], telegramTimeout: .seconds(5))
        #expect(report.exitCode == 0, "\(report.lines.map(\.text))")
        #expect(report.line("config")?.found.contains("token from the systemd credential telegram-token") == true)
        #expect(report.line("key file")?.found.contains("the systemd credential master-key") == true)
        #expect(report.line("telegram")?.status == .ok)
        await telegram.stop()
    }
}
