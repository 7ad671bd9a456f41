import BotKit
import Foundation

/// What /admin shows, gathered from the store, the config and the breaker; `html` is short lines for a phone.
struct AdminReport: Sendable {
    var users: UserCounts
    var period: PeriodStats
    var givenUp: Int
    /// Each broker host and whether its breaker refuses calls; empty with the paper broker.
    var breakers: [(host: String, open: Bool)]
    var alertsArmed: Int

    static func gather(services: TraderServices, days: Int, now: Date) async throws -> AdminReport {
        let store = services.store
        var breakers: [(host: String, open: Bool)] = []
        if services.trading.paper == nil {
            for host in services.config.broker.hosts { breakers.append((host, await services.trading.breaker.isOpen(host))) }
        }
        return AdminReport(users: try await store.userCounts(now: now), period: try await store.periodStats(days: days, now: now),
                           givenUp: try await store.inboxCounts().failed, breakers: breakers,
                           alertsArmed: try await store.armedAlertCount())
    }

    var html: String {
        let period = self.period
        let rate = period.commands == 0 ? "" : String(format: " (%.1f %%)", Double(period.failures) * 100 / Double(period.commands))
        var lines = [
            "<b>Admin</b>: last \(period.days == 1 ? "day" : "\(period.days) days")",
            "",
            "<b>Users</b>: \(users.total) known, \(users.disabled) disabled",
            "active: \(users.day) today, \(users.week) in 7 d, \(users.month) in 30 d",
            "",
            "<b>Traffic</b>",
            "updates: \(period.updates)",
            "commands: \(period.commands), failed \(period.failures)\(rate)",
            "p95 latency: " + (period.p95Milliseconds.map { "\($0) ms" } ?? "-"),
            "",
            "<b>Given up</b>: \(givenUp) updates" + (givenUp > 0 ? " (<code>pollbot inbox --failed</code>)" : ""),
            "<b>Alerts armed</b>: \(alertsArmed)",
            "",
            "<b>Brokers</b>",
        ]
        lines += breakers.isEmpty ? ["paper broker: no hosts"]
            : breakers.map { "\($0.open ? "\u{1F534} open" : "\u{1F7E2} closed"): \(HTML.escape($0.host))" }
        return lines.joined(separator: "\n")
    }
}

extension BotStore {
    /// Armed price alerts of every user, for /admin.
    func armedAlertCount() throws -> Int {
        try db.query("SELECT count(*) FROM price_alerts WHERE state = 'armed'") { $0.int(0) }.first ?? 0
    }
}
