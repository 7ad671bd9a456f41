import BotKit
import Foundation

/// What the bot tells a user without being asked, each kind set on its own in /settings.
public enum NotificationKind: String, Sendable, CaseIterable, Codable {
    case priceAlerts = "price_alerts"
    case orders
    case dailySummary = "daily_summary"
    case pnlThresholds = "pnl_thresholds"
    case announcements

    /// How /settings names it.
    public var title: String {
        switch self {
        case .priceAlerts: "Price alerts"
        case .orders: "Order fills and rejections"
        case .dailySummary: "Daily summary"
        case .pnlThresholds: "P&L thresholds"
        case .announcements: "Announcements"
        }
    }

    /// Where a user has set nothing: price alerts and orders ring, the daily summary arrives silently.
    public var defaultLevel: NotificationLevel {
        switch self {
        case .dailySummary: .silent
        case .priceAlerts, .orders, .pnlThresholds, .announcements: .on
        }
    }
}

/// How a kind of notification reaches the user.
public enum NotificationLevel: String, Sendable, CaseIterable, Codable {
    /// Sent with a sound.
    case on
    /// Sent with `disable_notification`: it arrives without a sound.
    case silent
    /// Not sent.
    case off
}

extension NotificationLevel {
    /// `messages` as this level sends them: unchanged, silenced, or none.
    public func apply(to messages: [OutgoingMessage]) -> [OutgoingMessage] {
        switch self {
        case .on: messages
        case .silent: messages.map { $0.silenced() }
        case .off: []
        }
    }
}

extension OutgoingMessage {
    /// The same call with `disable_notification` set, for the calls that take it (sendMessage, sendPhoto, …).
    public func silenced() -> OutgoingMessage {
        guard method.hasPrefix("send"), var object = (try? JSONSerialization.jsonObject(with: payload)) as? [String: Any],
              let data = try? JSONSerialization.data(withJSONObject: { object["disable_notification"] = true; return object }(), options: [.sortedKeys])
        else { return self }
        return OutgoingMessage(chatID: chatID, method: method, payload: data)
    }
}
