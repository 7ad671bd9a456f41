import BotKit

/// /use: picks the active account.
struct UseCommand: Command {
    static let name = "use"
    static let summary = "Make one of your accounts the active one"
    static let usage = "/use NAME"
    static let privateOnly = true

    let accountName: String

    init(arguments: inout ArgumentScanner) throws {
        accountName = try arguments.word("NAME").lowercased()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let accounts = try AccountContext(context)
        guard try await accounts.store.useAccount(accountName, of: accounts.userID) else {
            let names = try await accounts.store.accounts(of: accounts.userID).map(\.name)
            let hint = names.isEmpty ? "Link one with <code>/link API_KEY</code>." : "Yours: " + HTML.escape(names.joined(separator: ", ")) + "."
            return context.reply("You have no account called \(html: accountName). " + hint)
        }
        await AccountContext.forgetCachedAnswers(of: [accountName], userID: accounts.userID, in: context)
        return context.reply("Your active account is now <b>\(html: accountName)</b>.")
    }
}
