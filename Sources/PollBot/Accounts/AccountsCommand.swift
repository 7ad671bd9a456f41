import BotKit
import Foundation

/// /accounts: the user's linked accounts, keys shown by their last four characters only.
struct AccountsCommand: Command {
    static let name = "accounts"
    static let summary = "List your linked accounts"
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws {}

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let accounts = try AccountContext(context)
        let all = try await accounts.store.accounts(of: accounts.userID)
        guard !all.isEmpty else { return context.reply("You have no linked account. Link one with <code>/link API_KEY</code>.") }
        let active = try await accounts.store.activeAccount(of: accounts.userID)?.name
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        let lines = all.map { account in
            "\u{2022} \(AccountContext.describe(account))\(account.name == active ? " \u{2190} active" : ""), linked \(formatter.string(from: account.linkedAt))"
        }
        return context.reply("<b>Your accounts</b>\n" + lines.joined(separator: "\n") + "\n\nSwitch with /use NAME.")
    }
}
