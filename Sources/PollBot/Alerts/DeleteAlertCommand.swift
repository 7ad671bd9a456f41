import BotKit
import Foundation

/// /delalert ID: deletes one of the user's alerts, armed or fired.
struct DeleteAlertCommand: Command {
    static let name = "delalert"
    static let summary = "Delete a price alert by its number"
    static let usage = "/delalert ID"
    static let privateOnly = true

    let id: Int

    init(arguments: inout ArgumentScanner) throws {
        id = try arguments.integer("The alert number (see /alerts)", in: 1...Int(Int32.max))
        try arguments.finish()
    }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        guard try await context.services.store.deleteAlert(Int64(id), of: user.id) else {
            throw UserError("You have no alert #\(id); see /alerts.")
        }
        return context.reply("Alert #\(id) deleted.")
    }
}
