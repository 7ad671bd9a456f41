import BotKit
import Foundation

/// Broker API keys in the vault: each is bound to its user, account name and host, so a row copied to another
/// user or account, or edited to point at another host, does not open.
extension Vault {
    /// Seals `secret` for `userID`'s account `account` on `host` with the current key.
    public func seal(_ secret: String, userID: Int64, account: String, host: String) -> SealedSecret {
        seal(Array(secret.utf8), context: Self.accountContext(userID: userID, account: account, host: host))
    }

    /// Opens a sealed API key into guarded memory; throws when it was tampered with, moved (user, account
    /// or host), or sealed by a key not loaded.
    public func openSecret(_ sealed: SealedSecret, userID: Int64, account: String, host: String) throws -> SecretBytes {
        try openSecret(sealed, context: Self.accountContext(userID: userID, account: account, host: host))
    }

    /// Opens a sealed API key as text, for callers that need a `String` right away.
    public func open(_ sealed: SealedSecret, userID: Int64, account: String, host: String) throws -> String {
        try openSecret(sealed, userID: userID, account: account, host: host).utf8String()
    }

    /// What an account key is bound to: a row whose user, name or host column is edited no longer opens.
    static func accountContext(userID: Int64, account: String, host: String) -> String {
        "pollbot-account-v2|user=\(userID)|account=\(account)|host=\(host)"
    }

    /// The binding of rows sealed before the host was bound in (before `account_seal_format` 2); only the re-seal at open reads it.
    static func legacyAccountContext(userID: Int64, account: String) -> String {
        "pollbot-account-v1|user=\(userID)|account=\(account)"
    }
}
