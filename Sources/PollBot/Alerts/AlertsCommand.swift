import BotKit
import Foundation

/// /alerts: the user's price alerts, each with a Delete button (and Re-arm once fired).
struct AlertsCommand: Command {
    static let name = "alerts"
    static let summary = "Your price alerts, with buttons to delete or re-arm"
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws { try arguments.finish() }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let (html, keyboard) = try await AlertText.list(of: user.id, services: context.services)
        return context.reply(html, keyboard: keyboard)
    }
}
