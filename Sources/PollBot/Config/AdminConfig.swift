import BotKit
import Foundation

/// bot.toml's `[admin]`: the operator's listener for `/metrics`, `/healthz` and `/readyz`.
public struct AdminConfig: Sendable, Equatable {
    /// `host:port`; empty turns the listener off.
    public var listen = ""
    /// The bearer token every request must carry; required when `listen` is not a loopback address.
    public var token: String?

    public init() {}

    /// The engine's listener settings, or nil when the listener is off.
    public var settings: AdminSettings? {
        guard !listen.isEmpty, case .success(let address) = AdminAddress.parse(listen) else { return nil }
        return AdminSettings(address: address, token: token)
    }

    /// The section as written.
    struct File: Decodable {
        var listen: String?
        var token: String?
    }

    /// Checks the section: a listen address this process can bind, and a token wherever other machines could connect.
    static func resolve(_ file: File?, fail: (String, String) -> ConfigError) throws -> AdminConfig {
        var config = AdminConfig()
        config.listen = (file?.listen ?? "").trimmingCharacters(in: .whitespaces)
        if let token = file?.token {
            // A short or spaced token is a typo or a placeholder more often than a choice.
            guard token.count >= 16, token.allSatisfy({ !$0.isWhitespace && $0.isASCII }) else {
                throw fail("admin.token", "must be at least 16 characters without spaces (try: openssl rand -hex 24)")
            }
            config.token = token
        }
        guard !config.listen.isEmpty else { return config }
        switch AdminAddress.parse(config.listen) {
        case .failure(let error):
            throw fail("admin.listen", error.problem)
        case .success(let address):
            if !address.isLoopback, config.token == nil {
                throw fail("admin.listen", "is \(address), which other machines can reach: set admin.token too, "
                    + "or listen on 127.0.0.1")
            }
        }
        return config
    }
}
