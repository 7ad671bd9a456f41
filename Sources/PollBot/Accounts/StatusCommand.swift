import BotKit
import Foundation

/// /status: the active account, its host, and whether the broker answers now.
struct StatusCommand: Command {
    static let name = "status"
    static let summary = "Your active account and whether OpenAlgo answers"
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws {}

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        let accounts = try AccountContext(context)
        if accounts.broker.kind == .paper {
            return context.reply("This bot runs the paper broker (DEMO): your paper account is always active and always answers.")
        }
        guard let account = try await accounts.store.activeAccount(of: accounts.userID) else {
            return context.reply("No active account. Link one with <code>/link API_KEY</code>, or pick one with /use NAME.")
        }
        let client = try accounts.client(for: account)
        let started = ContinuousClock.now
        let state: String
        do {
            try await client.ping()
            state = "answers (\(started.duration(to: .now).wholeMilliseconds) ms)"
        } catch let error as BrokerError {
            state = "does not answer properly: \(HTML.escape(error.description))"
        }
        return context.reply("Active account: \(AccountContext.describe(account))\nOpenAlgo \(state).")
    }
}
