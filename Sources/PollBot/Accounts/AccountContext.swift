import BotKit
import Foundation

/// What the account commands need from the services, checked once.
struct AccountContext {
    let userID: Int64
    let store: BotStore
    let vault: Vault
    let broker: BotConfig.Broker

    init(userID: Int64, store: BotStore, vault: Vault, broker: BotConfig.Broker) {
        self.userID = userID
        self.store = store
        self.vault = vault
        self.broker = broker
    }

    /// The account context of whoever sent the command.
    init(_ context: TraderContext) throws {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        self.init(userID: user.id, store: context.services.store, vault: context.services.vault, broker: context.services.config.broker)
    }

    /// A client for `account`, with its key opened from the vault; throws before any call when the operator
    /// no longer allows the account's host, or when the stored key does not open.
    func client(for account: LinkedAccount) throws -> OpenAlgoClient {
        // Checked at every use, not only at /link: removing a host from bot.toml must stop calls to it at once.
        guard broker.hosts.contains(account.host) else { throw StoredKeyError.hostRemoved(account) }
        let key: SecretBytes
        do {
            key = try vault.openSecret(account.sealed, userID: userID, account: account.name, host: account.host)
        } catch let error as VaultError {
            throw StoredKeyError.unopenable(account, error)
        }
        return OpenAlgoClient(host: account.host, apiKey: key, connectTimeout: .seconds(broker.connectTimeout),
                              timeout: .seconds(broker.timeout))
    }

    /// "main (http://host, key …abcd)".
    static func describe(_ account: LinkedAccount) -> String {
        "<b>\(HTML.escape(account.name))</b> (\(HTML.escape(account.host)), key \u{2026}\(HTML.escape(account.keyHint)))"
    }

    /// Account names: letters, digits, `_` and `-`, up to 20 characters.
    static func validName(_ name: String) -> Bool { name.wholeMatch(of: /[a-z0-9_\-]{1,20}/) != nil }

    /// Drops the cached broker answers of `names`, so no reply shows data fetched with a key that changed or left.
    static func forgetCachedAnswers(of names: [String], userID: Int64, in context: TraderContext) async {
        for name in names { await context.services.trading.invalidate(userID: userID, accountName: name) }
    }
}
