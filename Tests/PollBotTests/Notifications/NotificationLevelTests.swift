import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// Each kind's level per user: defaults, stored choices, and what each level does to a message.
@Suite struct NotificationLevelTests {
    @Test func defaultsAreStoredChoicesOverrideThemPerUserAndKind() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await TraderApp.openStore(path: directory.file("db.sqlite3"))
        #expect(try await store.notificationLevel(.priceAlerts, of: 1) == .on)
        #expect(try await store.notificationLevel(.orders, of: 1) == .on)
        #expect(try await store.notificationLevel(.dailySummary, of: 1) == .silent)
        try await store.setNotificationLevel(.off, for: .priceAlerts, of: 1)
        try await store.setNotificationLevel(.silent, for: .priceAlerts, of: 1)
        try await store.setNotificationLevel(.off, for: .orders, of: 2)
        #expect(try await store.notificationLevel(.priceAlerts, of: 1) == .silent)
        #expect(try await store.notificationLevel(.orders, of: 1) == .on)
        #expect(try await store.notificationLevel(.orders, of: 2) == .off)
        #expect(try await store.notificationLevels(of: 2).map(\.0) == NotificationKind.allCases)
        // A reopened store (a restart) keeps them.
        let reopened = try await TraderApp.openStore(path: directory.file("db.sqlite3"))
        #expect(try await reopened.notificationLevel(.priceAlerts, of: 1) == .silent)
    }

    @Test func onSendsSilentSetsDisableNotificationOffSendsNothing() throws {
        let messages = OutgoingMessage.texts("<b>RELIANCE</b> crossed 1,450", to: 7) + [.answerCallback("q", chatID: 7, text: "ok")]
        #expect(NotificationLevel.on.apply(to: messages) == messages)
        #expect(NotificationLevel.off.apply(to: messages).isEmpty)
        let silent = NotificationLevel.silent.apply(to: messages)
        let object = try #require(try JSONSerialization.jsonObject(with: silent[0].payload) as? [String: Any])
        #expect(object["disable_notification"] as? Bool == true)
        #expect(object["text"] as? String == "<b>RELIANCE</b> crossed 1,450" && object["chat_id"] as? Int == 7)
        // A call that takes no such flag is left as it was.
        #expect(silent[1] == messages[1])
    }
}

/// The /settings message is valid Telegram HTML (an unescaped "&" in "P&L" made Telegram refuse it).
@Suite struct SettingsViewTests {
    @Test func theSettingsMessageIsValidTelegramHTML() {
        let levels = NotificationKind.allCases.map { ($0, $0.defaultLevel) }
        let text = SettingsView.text(levels)
        guard case .success = TelegramHTMLValidator.parse(text) else { Issue.record("not valid Telegram HTML: \(text)"); return }
        #expect(text.contains("P&amp;L thresholds"))
    }
}
