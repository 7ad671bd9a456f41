import BotKit

/// The presses of /menu's buttons: `menu:<view>:<page>:<refresh>`.
struct MenuButtons: ButtonHandler {
    static let prefix = "menu"

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        let parts = press.action.split(separator: ":").map(String.init)
        guard let name = parts.first else { return ButtonReply(toast: "This button is no longer active.", messages: []) }
        let page = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let refresh = parts.count > 2 && parts[2] == "1"
        let session = try await press.services.trading.session(userID: press.user.id)
        let html: String, keyboard: InlineKeyboard
        if name == "home" {
            (html, keyboard) = await MenuView.home(session, owner: press.user.id, refresh: refresh, logger: press.bot.logger)
        } else if let view = MenuView(rawValue: name) {
            do {
                (html, keyboard) = try await view.page(session, number: page, owner: press.user.id, refresh: refresh)
            } catch {
                let report = FailureReport(error, doing: "the \(view.buttonTitle) button", logger: press.bot.logger)
                let back = InlineKeyboard([[.init("\u{21BB} Retry", data: press.data(prefix, "\(name):\(page):1")),
                                            .init("\u{00AB} Back", data: press.data(prefix, "home:0:0"))]])
                return ButtonReply(toast: "Failed (error \(report.errorID))",
                                   messages: [.edit(report.html, chatID: press.chatID, messageID: press.message.messageID, keyboard: back)])
            }
        } else {
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
        return ButtonReply(toast: refresh ? "Refreshed" : nil,
                           messages: [.edit(html, chatID: press.chatID, messageID: press.message.messageID, keyboard: keyboard)])
    }
}
