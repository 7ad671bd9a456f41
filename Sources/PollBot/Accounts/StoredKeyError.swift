import BotKit

/// A stored account that cannot be used as it is: the user must /link again.
enum StoredKeyError: ReportableError, CustomStringConvertible {
    /// `[broker] host/hosts` no longer lists the account's host.
    case hostRemoved(LinkedAccount)
    /// The sealed key does not open (tampered, moved, or sealed by a key not loaded).
    case unopenable(LinkedAccount, VaultError)

    var userHTML: String {
        switch self {
        case .hostRemoved(let account):
            "Account <b>\(HTML.escape(account.name))</b> points at a host the operator removed (\(HTML.escape(account.host))); "
                + "/link again with one of the hosts this bot allows now. No request was made."
        case .unopenable(let account, _):
            "The stored key of account <b>\(HTML.escape(account.name))</b> does not open any more; /link it again."
        }
    }

    /// For the log: names the account and why, never the key.
    var description: String {
        switch self {
        case .hostRemoved(let account): "account \(account.userID)/\(account.name) points at removed host \(account.host)"
        case .unopenable(let account, let error): "account \(account.userID)/\(account.name): \(error)"
        }
    }
}
