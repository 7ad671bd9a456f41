import BotKit
import Foundation
import TOMLKit

/// Reads bot.toml with TOMLKit: unknown keys, wrong types and missing values are errors with key and line.
public enum ConfigLoader {
    /// Loads and checks the file at `path`. `POLLBOT_TELEGRAM_TOKEN` in `environment` overrides the token; systemd
    /// credentials (`SystemdCredentials`) override the token file and the key file.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BotConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("cannot read \(path): no such file or not UTF-8; copy etc/bot.example.toml to start")
        }
        return try parse(text, fileName: path, environment: environment)
    }

    /// Parses bot.toml text; `fileName` appears in messages.
    public static func parse(_ text: String, fileName: String = "bot.toml", environment: [String: String] = [:]) throws -> BotConfig {
        try TOMLGuards.check(text, fileName: fileName)
        let lines = KeyLines(text)
        let file: ConfigFile
        do {
            let table = try TOMLTable(string: text)
            file = try TOMLDecoder(strictDecoding: true).decode(ConfigFile.self, from: table)
        } catch let error as TOMLParseError {
            throw ConfigError("\(fileName) line \(error.source.begin.line): \(error.description)")
        } catch let error as UnexpectedKeysError {
            let names = error.keys.map { key, path in keyName(path, key) }.sorted()
            let described = names.map { "\($0) (line \(lines.line(of: $0)))" }
            throw ConfigError("\(fileName): unknown key \(described.joined(separator: ", ")); see etc/bot.example.toml for the keys")
        } catch let error as DecodingError {
            throw ConfigError("\(fileName): \(describe(error, lines))")
        }
        return try resolve(file, lines: lines, fileName: fileName, environment: environment)
    }

    private static func resolve(_ file: ConfigFile, lines: KeyLines, fileName: String, environment: [String: String]) throws -> BotConfig {
        func fail(_ key: String, _ problem: String) -> ConfigError {
            ConfigError("\(fileName) line \(lines.line(of: key)): \(key) \(problem)")
        }
        let telegram = file.telegram ?? .init()
        var token = telegram.token
        if let tokenFile = telegram.tokenFile {
            guard let raw = FileManager.default.contents(atPath: tokenFile).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw fail("telegram.token_file", "names \(tokenFile), which cannot be read")
            }
            token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let credential = SystemdCredentials.path(SystemdCredentials.telegramToken, environment: environment) {
            guard let raw = FileManager.default.contents(atPath: credential).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw ConfigError("the systemd credential \(SystemdCredentials.telegramToken) (\(credential)) cannot be read")
            }
            token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let fromEnvironment = environment["POLLBOT_TELEGRAM_TOKEN"], !fromEnvironment.isEmpty { token = fromEnvironment }
        guard let token, !token.isEmpty else {
            throw ConfigError("\(fileName): telegram.token is missing: set token or token_file in [telegram], or POLLBOT_TELEGRAM_TOKEN")
        }
        guard Self.looksLikeBotToken(token) else {
            throw fail("telegram.token", "does not look like a bot token (digits, a colon, then letters, digits, _ or -)")
        }
        let apiURL = telegram.apiURL ?? "https://api.telegram.org"
        guard apiURL.hasPrefix("https://") || apiURL.hasPrefix("http://") else {
            throw fail("telegram.api_url", "must start with https:// or http://")
        }
        let pollTimeout = telegram.pollTimeout ?? 25
        guard (1...50).contains(pollTimeout) else { throw fail("telegram.poll_timeout", "must be from 1 to 50 seconds") }
        let staleAfter = telegram.staleAfter ?? 120
        guard staleAfter >= 0 else { throw fail("telegram.stale_after", "must be 0 or more seconds") }
        let storage = file.storage ?? .init()
        let security = file.security ?? .init()
        let broker = file.broker ?? .init()
        let host = Self.normalizedHost(broker.host ?? "http://127.0.0.1:5000")
        for (key, value) in [("broker.host", host)] + (broker.hosts ?? []).map({ ("broker.hosts", $0) }) {
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else { throw fail(key, "must start with http:// or https://") }
        }
        let hosts = Array(Set([host] + (broker.hosts ?? []).map(Self.normalizedHost))).sorted()
        let limits = file.limits ?? .init()
        let logDays = storage.logDays ?? 90
        guard logDays >= 1 else { throw fail("storage.log_days", "must be 1 or more") }
        let backupDir = (storage.backupDir ?? "").trimmingCharacters(in: .whitespaces)
        // The job runs with systemd's working directory: a relative path would land somewhere unexpected.
        guard backupDir.isEmpty || backupDir.hasPrefix("/") else {
            throw fail("storage.backup_dir", "must be an absolute path, or empty for no daily backup")
        }
        let backupKeep = storage.backupKeep ?? 7
        guard (1...365).contains(backupKeep) else { throw fail("storage.backup_keep", "must be from 1 to 365 backups") }
        for (key, value) in [("limits.user_per_minute", limits.userPerMinute), ("limits.user_burst", limits.userBurst),
                             ("limits.global_per_second", limits.globalPerSecond)] {
            if let value, value < 0 { throw fail(key, "must be 0 or more") }
        }
        // 0 would mean "no limit" to libcurl: a hung broker must never hold a handler without end.
        if let value = broker.timeout, !(1...300).contains(value) { throw fail("broker.timeout", "must be from 1 to 300 seconds") }
        if let value = broker.connectTimeout, !(1...60).contains(value) {
            throw fail("broker.connect_timeout", "must be from 1 to 60 seconds")
        }
        let userPerHour = limits.userPerHour ?? 600
        guard (1...100_000).contains(userPerHour) else { throw fail("limits.user_per_hour", "must be from 1 to 100000") }
        let handlerTimeout = limits.handlerTimeout ?? 60
        guard (1...3600).contains(handlerTimeout) else { throw fail("limits.handler_timeout", "must be from 1 to 3600 seconds") }
        // A /link or a chart must be able to hear the broker's own answer (or its timeout) before the bot gives up on it.
        guard handlerTimeout > broker.timeout ?? 10 else {
            throw fail("limits.handler_timeout", "must be longer than broker.timeout (\(broker.timeout ?? 10) s), so a broker call can finish first")
        }
        guard let kind = BotConfig.Broker.Kind(rawValue: broker.kind ?? "openalgo") else {
            throw fail("broker.kind", "must be \"openalgo\" or \"paper\"")
        }
        let defaultExchange = (broker.defaultExchange ?? "NSE").uppercased()
        guard Self.exchanges.contains(defaultExchange) else {
            throw fail("broker.default_exchange", "must be one of \(Self.exchanges.joined(separator: " "))")
        }
        // tzdata, not ICU: a named Foundation TimeZone would initialise ICU at every start.
        guard let timeZone = ZoneRules.named(broker.timeZone ?? "Asia/Kolkata") else {
            throw fail("broker.time_zone", "must be a time zone name such as \"Asia/Kolkata\" or \"UTC\" (from \(ZoneRules.defaultDirectory))")
        }
        let cache = file.cache ?? .init()
        for (key, value) in [("cache.quotes", cache.quotes), ("cache.positions", cache.positions), ("cache.orders", cache.orders),
                             ("cache.trades", cache.trades), ("cache.funds", cache.funds), ("cache.holdings", cache.holdings)] {
            if let value, !(0...86_400).contains(value) { throw fail(key, "must be from 0 to 86400 seconds") }
        }
        guard let theme = BotConfig.Charts.Theme(rawValue: file.charts?.theme ?? "light") else {
            throw fail("charts.theme", "must be \"light\" or \"dark\"")
        }
        let conversationTimeout = file.conversations?.timeout ?? 600
        guard (60...86_400).contains(conversationTimeout) else {
            throw fail("conversations.timeout", "must be from 60 to 86400 seconds")
        }
        let targetDays = file.analysis?.targetDays ?? 30
        guard (1...365).contains(targetDays) else { throw fail("analysis.target_days", "must be from 1 to 365 days") }
        let riskFreeRate = file.analysis?.riskFreeRate ?? 6.5
        guard riskFreeRate.isFinite, (0...25).contains(riskFreeRate) else {
            throw fail("analysis.risk_free_rate", "must be a percentage from 0 to 25, like 6.5")
        }
        var config = BotConfig(
            telegram: .init(token: token, apiURL: apiURL, pollTimeout: pollTimeout, staleAfter: staleAfter,
                            floodLimits: telegram.floodLimits ?? true),
            storage: .init(path: storage.path ?? "/var/lib/pollbot/pollbot.sqlite3", logDays: logDays, backupDir: backupDir,
                           backupKeep: backupKeep),
            security: .init(keyFile: SystemdCredentials.path(SystemdCredentials.masterKey, environment: environment)
                                ?? security.keyFile ?? "/etc/pollbot/master.key",
                            allowedUsers: security.allowedUsers ?? [], admins: security.admins ?? []),
            broker: .init(kind: kind, host: host, hosts: hosts, connectTimeout: broker.connectTimeout ?? 3, timeout: broker.timeout ?? 10,
                          currency: broker.currency ?? "\u{20B9}", defaultExchange: defaultExchange, timeZone: timeZone),
            limits: .init(userPerMinute: limits.userPerMinute ?? 30, userBurst: limits.userBurst ?? 10,
                          globalPerSecond: limits.globalPerSecond ?? 20, handlerTimeout: handlerTimeout),
            cache: .init(quotes: cache.quotes ?? 15, positions: cache.positions ?? 30, orders: cache.orders ?? 30,
                         trades: cache.trades ?? 30, funds: cache.funds ?? 300, holdings: cache.holdings ?? 300),
            charts: .init(theme: theme),
            conversations: .init(timeout: conversationTimeout),
            analysis: AnalysisSettings(targetDays: targetDays, riskFreeRate: riskFreeRate / 100),
            trading: try TradingSettings.resolve(file.trading, exchanges: Self.exchanges, fail: fail),
            alerts: try AlertSettings.resolve(file.alerts, fail: fail))
        config.limits.userPerHour = userPerHour
        config.admin = try AdminConfig.resolve(file.admin, fail: fail)
        return config
    }

    private static func describe(_ error: DecodingError, _ lines: KeyLines) -> String {
        func name(_ path: [any CodingKey]) -> String {
            path.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            let key = name(context.codingPath)
            return "line \(lines.line(of: key)): \(key) must be \(typeName(type))"
        case let .keyNotFound(key, context):
            // TOMLKit reports a value of the wrong type as a key it could not find.
            let full = keyName(context.codingPath, key.stringValue)
            let expected = ConfigFile.expectedTypes[full].map { "must be \($0)" } ?? "is missing or has the wrong type"
            return "line \(lines.line(of: full)): \(full) \(expected)"
        case let .dataCorrupted(context):
            let key = name(context.codingPath)
            return "line \(lines.line(of: key)): \(key) has an invalid value"
        @unknown default:
            return "invalid configuration"
        }
    }

    /// The exchanges OpenAlgo knows.
    public static let exchanges = ["NSE", "BSE", "NFO", "BFO", "CDS", "BCD", "MCX", "NCDEX", "NCO", "NSE_INDEX", "BSE_INDEX",
                                   "MCX_INDEX", "GLOBAL_INDEX", "CRYPTO"]

    /// Hosts compare without a trailing slash.
    static func normalizedHost(_ host: String) -> String {
        var host = host.trimmingCharacters(in: .whitespaces)
        while host.hasSuffix("/") { host.removeLast() }
        return host
    }

    private static func keyName(_ path: [any CodingKey], _ key: String) -> String {
        var names = path.map(\.stringValue)
        if names.last != key { names.append(key) }
        return names.joined(separator: ".")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int64.Type: return "a whole number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a quoted string"
        case is [Int64].Type: return "a list of numbers, like [123, 456]"
        default: return "of type \(type)"
        }
    }
}

/// The file as written; every key optional so that defaults apply.
private struct ConfigFile: Decodable {
    struct Telegram: Decodable {
        var token: String?
        var tokenFile: String?
        var apiURL: String?
        var pollTimeout: Int?
        var staleAfter: Int?
        var floodLimits: Bool?
        enum CodingKeys: String, CodingKey {
            case token, tokenFile = "token_file", apiURL = "api_url", pollTimeout = "poll_timeout"
            case staleAfter = "stale_after", floodLimits = "flood_limits"
        }
    }

    struct Storage: Decodable {
        var path: String?
        var logDays: Int?
        var backupDir: String?
        var backupKeep: Int?
        enum CodingKeys: String, CodingKey { case path, logDays = "log_days", backupDir = "backup_dir", backupKeep = "backup_keep" }
    }

    struct Broker: Decodable {
        var host: String?
        var hosts: [String]?
        var kind: String?
        var connectTimeout: Int?
        var timeout: Int?
        var currency: String?
        var defaultExchange: String?
        var timeZone: String?
        enum CodingKeys: String, CodingKey {
            case kind, host, hosts, connectTimeout = "connect_timeout", timeout, currency
            case defaultExchange = "default_exchange", timeZone = "time_zone"
        }
    }

    struct Cache: Decodable {
        var quotes: Int?
        var positions: Int?
        var orders: Int?
        var trades: Int?
        var funds: Int?
        var holdings: Int?
    }

    struct Charts: Decodable {
        var theme: String?
    }

    struct Conversations: Decodable {
        var timeout: Int?
    }

    struct Analysis: Decodable {
        var targetDays: Int?
        var riskFreeRate: Double?
        enum CodingKeys: String, CodingKey { case targetDays = "target_days", riskFreeRate = "risk_free_rate" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            targetDays = try container.decodeIfPresent(Int.self, forKey: .targetDays)
            // TOML keeps 7 and 7.0 apart; a rate of 7 means 7 %.
            if let whole = try? container.decodeIfPresent(Int.self, forKey: .riskFreeRate) {
                riskFreeRate = Double(whole)
            } else {
                riskFreeRate = try container.decodeIfPresent(Double.self, forKey: .riskFreeRate)
            }
        }
    }

    struct Limits: Decodable {
        var userPerMinute: Int?
        var userBurst: Int?
        var userPerHour: Int?
        var globalPerSecond: Int?
        var handlerTimeout: Int?
        enum CodingKeys: String, CodingKey {
            case userPerMinute = "user_per_minute", userBurst = "user_burst", userPerHour = "user_per_hour", globalPerSecond = "global_per_second"
            case handlerTimeout = "handler_timeout"
        }
    }

    struct Security: Decodable {
        var keyFile: String?
        var allowedUsers: [Int64]?
        var admins: [Int64]?
        enum CodingKeys: String, CodingKey { case keyFile = "key_file", allowedUsers = "allowed_users", admins }
    }

    var telegram: Telegram?
    var storage: Storage?
    var security: Security?
    var broker: Broker?
    var limits: Limits?
    var cache: Cache?
    var charts: Charts?
    var conversations: Conversations?
    var analysis: Analysis?
    var trading: TradingSettings.File?
    var alerts: AlertSettings.File?
    var admin: AdminConfig.File?

    /// What each key holds, for error messages.
    static let expectedTypes: [String: String] = [
        "telegram.token": "a quoted string", "telegram.token_file": "a quoted path", "telegram.api_url": "a quoted URL",
        "telegram.poll_timeout": "a whole number of seconds", "telegram.stale_after": "a whole number of seconds",
        "telegram.flood_limits": "true or false", "storage.path": "a quoted path", "security.key_file": "a quoted path",
        "security.allowed_users": "a list of user ids, like [123, 456]", "security.admins": "a list of user ids, like [123]",
        "storage.log_days": "a whole number of days", "storage.backup_dir": "a quoted absolute path, or \"\" for none",
        "storage.backup_keep": "a whole number of backups", "broker.host": "a quoted URL",
        "broker.hosts": "a list of quoted URLs", "broker.timeout": "a whole number of seconds",
        "broker.connect_timeout": "a whole number of seconds", "limits.user_per_minute": "a whole number",
        "limits.user_burst": "a whole number", "limits.user_per_hour": "a whole number", "limits.global_per_second": "a whole number",
        "limits.handler_timeout": "a whole number of seconds",
        "broker.kind": "\"openalgo\" or \"paper\"", "broker.currency": "a quoted string, like \"\u{20B9}\"",
        "broker.default_exchange": "a quoted exchange, like \"NSE\"", "broker.time_zone": "a quoted time zone, like \"Asia/Kolkata\"",
        "cache.quotes": "a whole number of seconds", "cache.positions": "a whole number of seconds",
        "cache.orders": "a whole number of seconds", "cache.trades": "a whole number of seconds",
        "cache.funds": "a whole number of seconds", "cache.holdings": "a whole number of seconds",
        "charts.theme": "\"light\" or \"dark\"",
        "admin.listen": "a quoted host:port, like \"127.0.0.1:9464\"", "admin.token": "a quoted string",
        "conversations.timeout": "a whole number of seconds", "analysis.target_days": "a whole number of days",
        "analysis.risk_free_rate": "a percentage, like 6.5",
    ].merging(TradingSettings.expectedTypes) { first, _ in first }.merging(AlertSettings.expectedTypes) { first, _ in first }
}

extension ConfigLoader {
    /// Digits, a colon, then letters, digits, `_` or `-`: the shape of a bot token. Checked byte by byte rather than
    /// with a Regex, which every start would otherwise compile (the regex engine's code is then mapped for nothing).
    static func looksLikeBotToken(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1 else { return false }
        return bytes[..<colon].allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && bytes[(colon + 1)...].allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}
