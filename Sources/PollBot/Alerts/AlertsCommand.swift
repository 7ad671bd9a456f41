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
        let services = context.services
        let format = DisplayFormat(currency: services.config.broker.currency, timeZone: services.config.broker.timeZone)
        let (html, keyboard) = AlertText.list(try await services.store.alerts(of: user.id), owner: user.id,
                                              settings: services.config.alerts, format: format)
        return context.reply(html, keyboard: keyboard)
    }
}

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
