import BotKit

/// /unlink: deletes sealed keys from the database and says exactly which.
struct UnlinkCommand: Command {
    static let name = "unlink"
    static let summary = "Remove a linked account and its key (or all of them)"
    static let usage = "/unlink [NAME|all]"
    static let privateOnly = true

    let target: String?

    init(arguments: inout ArgumentScanner) throws {
        target = arguments.optionalWord()?.lowercased()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let accounts = try AccountContext(context)
        let existing = try await accounts.store.accounts(of: accounts.userID)
        let names: [String]?
        switch target {
        case "all": names = nil
        case let name?: names = [name]
        case nil:
            guard let active = try await accounts.store.activeAccount(of: accounts.userID) else {
                return context.reply(existing.isEmpty
                    ? "You have no linked account; nothing to remove."
                    : "Say which account to remove: <code>/unlink NAME</code> or <code>/unlink all</code>.")
            }
            names = [active.name]
        }
        let removed = try await accounts.store.deleteAccounts(names, of: accounts.userID)
        await AccountContext.forgetCachedAnswers(of: removed, userID: accounts.userID, in: context)
        guard !removed.isEmpty else {
            return context.reply("You have no account called \(html: target ?? ""); nothing was removed.")
        }
        let described = existing.filter { removed.contains($0.name) }.map(AccountContext.describe)
        return context.reply("Removed \(described.joined(separator: ", ")). "
            + (removed.count == 1 ? "Its sealed key is" : "Their sealed keys are") + " deleted from the bot's database.")
    }
}
