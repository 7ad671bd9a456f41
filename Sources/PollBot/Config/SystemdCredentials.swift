import Foundation

/// systemd's `LoadCredential=` files: when `$CREDENTIALS_DIRECTORY` holds `telegram-token` or `master-key`,
/// that file is used instead of bot.toml's token (`token`, `token_file`) or `[security] key_file`.
///
/// One fixed name per secret, so that bot.toml keeps the real paths the command line uses from a shell, and the
/// service reads systemd's private copy (the source files may then stay readable by root only).
public enum SystemdCredentials {
    /// The credential holding the bot token: `LoadCredential=telegram-token:/etc/pollbot/token`.
    public static let telegramToken = "telegram-token"
    /// The credential holding the master key: `LoadCredential=master-key:/etc/pollbot/master.key`.
    public static let masterKey = "master-key"

    /// The path of credential `name` when systemd passed it to this process, else nil.
    public static func path(_ name: String, environment: [String: String]) -> String? {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return nil }
        let path = directory + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
