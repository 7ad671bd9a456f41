import BotKit
import Foundation

/// How alerts read: the fired message, a line of /alerts, and the list with its buttons.
enum AlertText {
    /// "🔔 RELIANCE NSE above 1,500.00: LTP 1,502.35 at 14:02:31 · alert #12, account main".
    /// `clock` is the check's time as `format.clock` shows it: one cycle's alerts share it, so it is formatted once.
    static func fired(_ alert: PriceAlert, price: Double, clock: String, format: DisplayFormat) -> String {
        "\u{1F514} <b>\(HTML.escape(alert.instrument.description))</b> \(alert.condition(format)): "
            + "LTP <b>\(format.number(price))</b> at \(clock)\n"
            + "<i>Alert #\(alert.id), account \(HTML.escape(alert.account)). It fired once; Re-arm to watch again.</i>"
    }

    /// "#12 RELIANCE NSE above 1,500.00 · armed" or "… · fired 14:02:31 at 1,502.35".
    static func line(_ alert: PriceAlert, format: DisplayFormat) -> String {
        let head = "#\(alert.id) <b>\(HTML.escape(alert.instrument.description))</b> \(alert.condition(format))"
        if alert.state == .fired, let at = alert.firedAt, let price = alert.firedPrice {
            return head + " \u{00B7} fired \(format.clock(at)) at \(format.number(price))"
        }
        return head + " \u{00B7} armed"
    }

    /// The bot's money and time formats, as alerts show them.
    static func format(_ config: BotConfig) -> DisplayFormat {
        DisplayFormat(currency: config.broker.currency, timeZone: config.broker.timeZone)
    }

    /// /alerts for `userID` as stored now: the text and its buttons.
    static func list(of userID: Int64, services: TraderServices) async throws -> (String, InlineKeyboard?) {
        let store = services.store
        return list(try await store.alerts(of: userID, limit: shown), armed: try await store.armedCount(of: userID), owner: userID,
                    settings: services.config.alerts, format: format(services.config))
    }

    /// The most alerts one /alerts message shows: one message of text, and at most 80 buttons.
    static let shown = 40

    /// /alerts: the user's alerts (armed first, then the latest fired; `shown` at most, as the store returns them) with
    /// a Delete button each and Re-arm on fired ones, owner-bound. `armed` is the user's count of armed alerts in all.
    static func list(_ alerts: [PriceAlert], armed: Int, owner: Int64, settings: AlertSettings, format: DisplayFormat) -> (String, InlineKeyboard?) {
        guard !alerts.isEmpty else {
            return ("<b>Price alerts</b>\nNone yet. Set one with <code>/alert RELIANCE above 1500</code> or <code>/alert TCS -3%</code>.", nil)
        }
        let alerts = Array(alerts.prefix(shown))
        var html = "<b>Price alerts</b> \u{00B7} \(armed) of \(settings.maxPerUser) armed\n"
        html += alerts.map { line($0, format: format) }.joined(separator: "\n")
        if armed > alerts.filter({ $0.state == .armed }).count {
            html += "\n\u{2026} and more armed; <code>/delalert ID</code> deletes any."
        }
        html += "\n<i>Checked every \(settings.checkInterval) s\(settings.marketHoursOnly ? " while the market is open" : "").</i>"
        let rows = alerts.map { alert in
            var row = [InlineKeyboard.Button("\u{1F5D1} Delete #\(alert.id)", data: AlertButtons.data(owner, "del:\(alert.id):list"))]
            if alert.state == .fired {
                row.insert(.init("\u{21BB} Re-arm #\(alert.id)", data: AlertButtons.data(owner, "arm:\(alert.id):list")), at: 0)
            }
            return row
        }
        return (html, InlineKeyboard(rows))
    }
}
