import BotKit
import Foundation

/// The alert buttons, owner-bound: `alert:del:<id>:<list|msg>` deletes, `alert:arm:<id>:<list|msg>` re-arms a fired alert
/// from the LTP now. From /alerts the list is shown again; on a fired message that message is edited.
struct AlertButtons: ButtonHandler {
    static let prefix = "alert"

    /// Callback data of an alert button for `owner`.
    static func data(_ owner: Int64, _ action: String) -> String {
        CallbackData(owner: owner, action: "\(prefix):\(action)").encoded
    }

    /// The buttons under a fired alert.
    static func firedKeyboard(_ id: Int64, owner: Int64) -> InlineKeyboard {
        InlineKeyboard([[.init("\u{21BB} Re-arm", data: data(owner, "arm:\(id):msg")), .init("\u{1F5D1} Delete", data: data(owner, "del:\(id):msg"))]])
    }

    static func press(_ press: TraderPress) async throws -> ButtonReply {
        let parts = press.action.split(separator: ":").map(String.init)
        guard parts.count == 3, let id = Int64(parts[1]), ["list", "msg"].contains(parts[2]) else {
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
        let services = press.services
        let format = AlertText.format(services.config)
        let toast: String, html: String
        switch parts[0] {
        case "del":
            let deleted = try await services.store.deleteAlert(id, of: press.user.id)
            toast = deleted ? "Alert #\(id) deleted" : "Alert #\(id) was already gone"
            html = "Alert #\(id) deleted."
        case "arm":
            (toast, html) = try await rearm(id, press: press, format: format)
        default:
            return ButtonReply(toast: "This button is no longer active.", messages: [])
        }
        if parts[2] == "list" {
            let (list, keyboard) = try await AlertText.list(of: press.user.id, services: services)
            return ButtonReply(toast: toast, messages: [.edit(list, chatID: press.chatID, messageID: press.message.messageID, keyboard: keyboard)])
        }
        return ButtonReply(toast: toast, messages: [.edit(html, chatID: press.chatID, messageID: press.message.messageID)])
    }

    /// Re-arms from the price now, on the alert's own account: a level already reached again is refused, as at /alert.
    private static func rearm(_ id: Int64, press: TraderPress, format: DisplayFormat) async throws -> (String, String) {
        let services = press.services
        guard let alert = try await services.store.alert(id, of: press.user.id), alert.state == .fired else {
            return ("Alert #\(id) is not fired", "Alert #\(id) is armed already or was deleted; see /alerts.")
        }
        guard let broker = try await AlertBrokers.broker(userID: alert.userID, account: alert.account, host: alert.host,
                                                         hub: services.trading) else {
            throw UserError("Account <b>\(HTML.escape(alert.account))</b> of alert #\(id) is no longer linked; set a new alert with /alert.")
        }
        let ltp: Double
        do {
            ltp = try await broker.quote(alert.instrument).ltp
        } catch let error as BrokerError {
            throw BrokerFailure(error, account: alert.account, broker: broker, settings: services.config.broker)
        }
        guard ltp.isFinite, ltp > 0 else { throw UserError("No usable price for \(HTML.escape(alert.instrument.description)) right now; try again later.") }
        let direction = try AlertTerms(kind: alert.kind, level: alert.level).direction(from: ltp, instrument: alert.instrument, format: format).get()
        do {
            try await services.store.rearmAlert(id, of: alert.userID, direction: direction, referencePrice: ltp,
                                                limit: services.config.alerts.maxPerUser, now: Date())
        } catch BotStore.AlertRefusal.limit(let limit) {
            throw UserError("You have \(limit) armed alerts, the most allowed; delete one first (/alerts).")
        } catch BotStore.AlertRefusal.notFound {
            return ("Alert #\(id) is not fired", "Alert #\(id) is armed already or was deleted; see /alerts.")
        }
        var armed = alert
        armed.direction = direction
        return ("Re-armed", "\u{21BB} Alert #\(id) re-armed: <b>\(HTML.escape(alert.instrument.description))</b> \(armed.condition(format)) (LTP now \(format.number(ltp))).")
    }
}
