import BotKit
import Foundation

/// /link: checks an OpenAlgo API key with a real call, then stores it sealed; the message with the key is deleted.
struct LinkCommand: Command {
    static let name = "link"
    static let summary = "Link an OpenAlgo account (the message with the key is deleted)"
    static let usage = "/link API_KEY [HOST] [NAME]"
    static let details: String? = "HOST must be one of the OpenAlgo hosts the bot's owner listed; NAME (default main) lets you link several accounts. Linking a name again replaces its key. The three may come in any order."
    static let privateOnly = true
    static let carriesSecret = true

    static let deletedNote = "\n\nI deleted your message with the key from this chat."

    let apiKey: String
    let host: String?
    let accountName: String

    /// Reads KEY, HOST and NAME in any order: a word with a scheme is the host; of the other two, a word that cannot be
    /// a NAME is the key, else the first is (neither can be a NAME: an error). No error message repeats a word, since any of them may be the key.
    init(arguments: inout ArgumentScanner) throws {
        var hosts: [String] = [], others: [String] = []
        while let word = arguments.optionalWord() {
            if word.lowercased().hasPrefix("http://") || word.lowercased().hasPrefix("https://") { hosts.append(word) } else { others.append(word) }
        }
        guard hosts.count <= 1 else { throw arguments.failure("Give at most one HOST.") }
        guard !others.isEmpty else { throw arguments.failure("API_KEY is missing.") }
        guard others.count <= 2 else { throw arguments.failure("Too many words: give API_KEY, and optionally HOST and NAME.") }
        host = hosts.first
        if others.count == 2 {
            let canBeName = others.map { AccountContext.validName($0.lowercased()) }
            switch (canBeName[0], canBeName[1]) {
            case (_, true): (apiKey, accountName) = (others[0], others[1].lowercased())
            case (true, false): (apiKey, accountName) = (others[1], others[0].lowercased())
            case (false, false): throw arguments.failure("NAME may use a-z, 0-9, _ and -, up to 20 characters.")
            }
        } else {
            (apiKey, accountName) = (others[0], "main")
        }
        guard apiKey.count >= 8 else { throw arguments.failure("API_KEY looks too short.") }
    }

    /// Only what was checked: the account name, and the host when the operator allows it.
    func loggedArguments(in context: TraderContext) -> String? {
        guard let host else { return "name=\(accountName)" }
        let normalized = ConfigLoader.normalizedHost(host)
        let allowed = context.services.config.broker.hosts.contains(normalized)
        return "name=\(accountName) host=\(allowed ? normalized : "(not allowed)")"
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let accounts = try AccountContext(context)
        if accounts.broker.kind == .paper {
            return context.reply("This bot runs the paper broker (DEMO): your paper account is ready without a key, so nothing was stored. Try /funds or /menu."
                + Self.deletedNote)
        }
        let target = ConfigLoader.normalizedHost(host ?? accounts.broker.host)
        guard accounts.broker.hosts.contains(target) else {
            let allowed = accounts.broker.hosts.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")
            return context.reply("I may only call the OpenAlgo hosts the bot's owner listed in bot.toml: \(allowed). "
                + "Nothing was stored." + Self.deletedNote)
        }
        let client = OpenAlgoClient(host: target, apiKey: apiKey, connectTimeout: .seconds(accounts.broker.connectTimeout),
                                    timeout: .seconds(accounts.broker.timeout))
        do {
            _ = try await client.funds()
        } catch let error as BrokerError {
            // A broker may echo what it was sent: the key never reaches the reply.
            let reason = error.description.replacingOccurrences(of: apiKey, with: "[key]")
            return context.reply("OpenAlgo at \(HTML.escape(target)) did not accept the key: \(HTML.escape(reason)). "
                + "Nothing was stored." + Self.deletedNote)
        }
        let account = LinkedAccount(
            userID: accounts.userID, name: accountName, host: target,
            sealed: accounts.vault.seal(apiKey, userID: accounts.userID, account: accountName, host: target),
            keyHint: String(apiKey.suffix(4)), linkedAt: Date())
        try await accounts.store.saveAccount(account)
        // A relinked name may point at another key or host: answers cached for the old one must not be shown.
        await AccountContext.forgetCachedAnswers(of: [accountName], userID: accounts.userID, in: context)
        return context.reply("Linked \(AccountContext.describe(account)); it is now your active account." + Self.deletedNote)
    }
}
