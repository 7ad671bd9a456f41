import Foundation

/// /link: checks an OpenAlgo API key with a real call, then stores it sealed; the message with the key is deleted.
struct LinkCommand: Command {
    static let name = "link"
    static let summary = "Link an OpenAlgo account (the message with the key is deleted)"
    static let usage = "/link API_KEY [HOST] [NAME]"
    static let details: String? = "HOST must be one of the OpenAlgo hosts the bot's owner listed; NAME (default main) lets you link several accounts. Linking a name again replaces its key."
    static let privateOnly = true
    static let carriesSecret = true

    static func redact(_ arguments: String) -> String {
        var words = arguments.split(whereSeparator: \.isWhitespace).map(String.init)
        if !words.isEmpty { words[0] = "[key]" }
        return words.joined(separator: " ")
    }

    static let deletedNote = "\n\nI deleted your message with the key from this chat."

    let apiKey: String
    let host: String?
    let accountName: String

    init(arguments: inout ArgumentScanner) throws {
        apiKey = try arguments.word("API_KEY")
        var next = arguments.optionalWord()
        if let word = next, word.hasPrefix("http://") || word.hasPrefix("https://") {
            host = word
            next = arguments.optionalWord()
        } else {
            host = nil
        }
        accountName = (next ?? "main").lowercased()
        guard apiKey.count >= 8 else { throw arguments.failure("API_KEY looks too short.") }
        guard AccountContext.validName(accountName) else {
            throw arguments.failure("NAME may use a-z, 0-9, _ and -, up to 20 characters.")
        }
    }

    func run(in context: CommandContext) async throws -> [OutgoingMessage] {
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
            return context.reply("OpenAlgo at \(HTML.escape(target)) did not accept the key: \(HTML.escape(error.description)). "
                + "Nothing was stored." + Self.deletedNote)
        }
        let account = LinkedAccount(
            userID: accounts.userID, name: accountName, host: target,
            sealed: accounts.vault.seal(apiKey, userID: accounts.userID, account: accountName),
            keyHint: String(apiKey.suffix(4)), linkedAt: Date())
        try await accounts.store.saveAccount(account)
        return context.reply("Linked \(AccountContext.describe(account)); it is now your active account." + Self.deletedNote)
    }
}
