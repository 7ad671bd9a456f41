import BotKit
import Foundation
import TOMLKit

/// `pollbot doctor`: checks what a new operator gets wrong, one line per check with its fix; never prints a token or key.
public enum Doctor {
    /// Runs every check for the config at `configPath`; getMe waits at most `telegramTimeout`.
    public static func run(configPath: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                           engine: any HTTPTransport = CurlEngine.shared, telegramTimeout: Duration = .seconds(10)) async -> DoctorReport {
        guard let data = FileManager.default.contents(atPath: configPath), let text = String(data: data, encoding: .utf8) else {
            return DoctorReport(lines: [DoctorLine(.fail, "config", "\(configPath) cannot be read (missing, unreadable or not UTF-8)",
                                                   fix: "cp etc/bot.example.toml \(configPath) and edit it, or pass --config FILE")])
        }
        // Read on its own, so that an unknown zone gets its line even though the loader stops at it.
        let raw = try? TOMLTable(string: text)
        let zone = LocalChecks.timeZone(raw?["broker"]?.table?["time_zone"]?.string)
        let config: BotConfig
        do {
            config = try ConfigLoader.load(path: configPath, environment: environment)
        } catch {
            let message = (error as? ConfigError)?.message ?? "\(error)"
            return DoctorReport(lines: [
                DoctorLine(.fail, "config", message, fix: "correct that key; etc/bot.example.toml explains every key"),
                zone,
            ])
        }
        var lines = [configLine(config, path: configPath, raw: raw, environment: environment),
                     LocalChecks.keyFile(config.security.keyFile, environment: environment),
                     LocalChecks.database(config.storage.path)]
        // The network checks wait on other machines: in parallel, the doctor takes as long as the slowest.
        async let telegram = NetworkChecks.telegram(apiURL: config.telegram.apiURL, token: config.telegram.token,
                                                    timeout: telegramTimeout, engine: engine)
        async let brokers = brokerLines(config, engine: engine)
        lines.append(await telegram)
        lines += await brokers
        lines.append(NetworkChecks.adminPort(config.admin.settings))
        lines.append(zone)
        lines.append(LocalChecks.charts())
        return DoctorReport(lines: lines)
    }

    private static func configLine(_ config: BotConfig, path: String, raw: TOMLTable?, environment: [String: String]) -> DoctorLine {
        let source: String
        if let token = environment["POLLBOT_TELEGRAM_TOKEN"], !token.isEmpty {
            source = "$POLLBOT_TELEGRAM_TOKEN"
        } else if SystemdCredentials.path(SystemdCredentials.telegramToken, environment: environment) != nil {
            source = "the systemd credential \(SystemdCredentials.telegramToken)"
        } else if let file = raw?["telegram"]?.table?["token_file"]?.string {
            source = file
        } else {
            source = "\(path) itself"
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o004 != 0 {
                return DoctorLine(.warn, "config", "\(path) loads (bot \(config.redactedToken)), but everyone on this machine can read its token",
                                  fix: "chmod 640 \(path) (group: the bot's user), or move the token to [telegram] token_file")
            }
        }
        return DoctorLine(.ok, "config", "\(path) loads: bot \(config.redactedToken), token from \(source), broker \(config.broker.kind.rawValue)")
    }

    private static func brokerLines(_ config: BotConfig, engine: any HTTPTransport) async -> [DoctorLine] {
        guard config.broker.kind == .openalgo else {
            return [DoctorLine(.ok, "broker", "the paper broker is built in: nothing to reach")]
        }
        return await withTaskGroup(of: (Int, DoctorLine).self) { group in
            for (index, host) in config.broker.hosts.enumerated() {
                group.addTask { (index, await NetworkChecks.broker(host: host, connectTimeout: config.broker.connectTimeout, engine: engine)) }
            }
            var lines: [(Int, DoctorLine)] = []
            for await line in group { lines.append(line) }
            return lines.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
