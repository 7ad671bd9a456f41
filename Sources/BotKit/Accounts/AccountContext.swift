import Foundation

/// What the account commands need from the services, checked once.
struct AccountContext {
    let userID: Int64
    let store: BotStore
    let vault: Vault
    let broker: BotConfig.Broker

    init(_ context: CommandContext) throws {
        guard let user = context.user, let vault = context.services.vault, let config = context.services.config else {
            throw UserError("Accounts are not available on this bot.")
        }
        userID = user.id
        store = context.services.store
        self.vault = vault
        broker = config.broker
    }

    /// A client for `account`, with its key opened from the vault.
    func client(for account: LinkedAccount) throws -> OpenAlgoClient {
        let key = try vault.open(account.sealed, userID: userID, account: account.name)
        return OpenAlgoClient(host: account.host, apiKey: key, connectTimeout: .seconds(broker.connectTimeout),
                              timeout: .seconds(broker.timeout))
    }

    /// "main (http://host, key …abcd)".
    static func describe(_ account: LinkedAccount) -> String {
        "<b>\(HTML.escape(account.name))</b> (\(HTML.escape(account.host)), key \u{2026}\(HTML.escape(account.keyHint)))"
    }

    /// Account names: letters, digits, `_` and `-`, up to 20 characters.
    static func validName(_ name: String) -> Bool { name.wholeMatch(of: /[a-z0-9_\-]{1,20}/) != nil }
}
