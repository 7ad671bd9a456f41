import BotKit
import Foundation

/// /admin: the bot's health for its admins in a private chat: users, traffic over 1, 7 or 30 days, given-up updates,
/// broker breakers and armed alerts; owner-bound buttons switch the period in place.
struct AdminCommand: Command {
    static let name = "admin"
    static let summary = "Admins: users, traffic, failures, brokers"
    static let privateOnly = true
    /// The periods the buttons offer, in days.
    static let periods = [1, 7, 30]

    init(arguments: inout ArgumentScanner) throws { _ = arguments.rest() }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        guard context.services.config.security.admins.contains(user.id) else {
            return context.reply("Only the bot's admins can use /admin.")
        }
        let report = try await AdminReport.gather(services: context.services, days: 1, now: Date())
        return context.reply(report.html, keyboard: AdminButtons.keyboard(owner: user.id, days: 1))
    }
}

/// The period buttons under /admin: `ad:DAYS` redraws the report for that period in the same message.
struct AdminButtons: ButtonHandler {
    static let prefix = "ad"

    static func keyboard(owner: Int64, days: Int) -> InlineKeyboard {
        InlineKeyboard([AdminCommand.periods.map { period in
            .init((period == days ? "\u{2022} " : "") + (period == 1 ? "1 day" : "\(period) days"),
                  data: CallbackData(owner: owner, action: "\(prefix):\(period)").encoded)
        }])
    }

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        // Checked again at the press: an admin removed from the config since the report was sent sees no more.
        guard let days = Int(press.action), AdminCommand.periods.contains(days),
              press.services.config.security.admins.contains(press.user.id) else {
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
        let report = try await AdminReport.gather(services: press.services, days: days, now: Date())
        return ButtonReply(messages: [.edit(report.html, chatID: press.chatID, messageID: press.message.messageID,
                                            keyboard: keyboard(owner: press.user.id, days: days))])
    }
}
