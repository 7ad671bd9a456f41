import BotKit
import Foundation

/// /settings: each kind of notification with its level, and buttons that set it to on, silent or off.
struct SettingsCommand: Command {
    static let name = "settings"
    static let summary = "How I notify you: price alerts, orders, daily summary, P&L thresholds, announcements"
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws { try arguments.finish() }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        let levels = try await context.services.store.notificationLevels(of: user.id)
        return context.reply(SettingsView.text(levels), keyboard: SettingsView.keyboard(levels, owner: user.id))
    }
}

/// The /settings message and its buttons, as the command and each press show them.
enum SettingsView {
    /// "Price alerts: on" per kind, and what the levels mean.
    static func text(_ levels: [(NotificationKind, NotificationLevel)]) -> String {
        "<b>Notifications</b>: what I tell you without being asked\n\n"
            + levels.map { kind, level in "\(HTML.escape(kind.title)): <b>\(level.rawValue)</b>" }.joined(separator: "\n")
            + "\n\n<i>On rings; silent arrives without a sound; off sends nothing. A price alert still fires once while "
            + "price alerts are off (you are just not told): see /alerts to re-arm it.</i>"
    }

    /// One row per kind: its three levels, the current one ticked.
    static func keyboard(_ levels: [(NotificationKind, NotificationLevel)], owner: Int64) -> InlineKeyboard {
        InlineKeyboard(levels.map { kind, current in
            NotificationLevel.allCases.map { level in
                .init((level == current ? "\u{2713} " : "") + "\(shortTitle(kind)): \(level.rawValue)",
                      data: CallbackData(owner: owner, action: "\(SettingsButtons.prefix):\(kind.rawValue):\(level.rawValue)").encoded)
            }
        })
    }

    /// A name short enough for a third of a button row.
    static func shortTitle(_ kind: NotificationKind) -> String {
        switch kind {
        case .priceAlerts: "Alerts"
        case .orders: "Orders"
        case .dailySummary: "Summary"
        case .pnlThresholds: "P&L"
        case .announcements: "News"
        }
    }
}

/// The /settings buttons, owner-bound: `set:<kind>:<level>` stores the level and edits the message in place.
struct SettingsButtons: ButtonHandler {
    static let prefix = "set"

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        let parts = press.action.split(separator: ":").map(String.init)
        guard parts.count == 2, let kind = NotificationKind(rawValue: parts[0]), let level = NotificationLevel(rawValue: parts[1]) else {
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
        let store = press.services.store
        try await store.setNotificationLevel(level, for: kind, of: press.user.id)
        let levels = try await store.notificationLevels(of: press.user.id)
        return ButtonReply(toast: "\(kind.title): \(level.rawValue)", messages: [
            .edit(SettingsView.text(levels), chatID: press.chatID, messageID: press.message.messageID,
                  keyboard: SettingsView.keyboard(levels, owner: press.user.id)),
        ])
    }
}
