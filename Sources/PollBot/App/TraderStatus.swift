import BotKit
import Foundation

/// What the trader app adds to the admin listener's status page: each broker host's circuit breaker and the
/// price alerts armed. Read when the page is served, like the engine's figures.
enum TraderStatus {
    /// The version the status page shows.
    static let version = "0.1.0-dev"

    static func sections(_ services: TraderServices) -> [StatusSection] {
        [
            StatusSection("Broker circuit breakers") { [breaker = services.trading.breaker] in
                let formatter = ISO8601DateFormatter()
                let rows = await breaker.hostStates().map { entry in
                    [entry.host, entry.state, String(entry.failures), entry.since.map(formatter.string(from:)) ?? "-"]
                }
                return StatusTable(header: ["Host", "State", "Failures in a row", "Failing since"], rows: rows,
                                   emptyNote: "every breaker closed: no broker host has failed since its last success")
            },
            StatusSection("Price alerts armed") { [store = services.store] in
                let armed = try await store.armedAlertTotals()
                return StatusTable(header: ["Alerts armed", "Users with alerts"], rows: [[String(armed.alerts), String(armed.users)]])
            },
        ]
    }
}

extension TraderStatus {
    /// The app's scrape-time gauges: `pollbot_alerts_armed`.
    static func publish(to metrics: BotMetrics, store: BotStore) {
        metrics.onScrape {
            if let armed = try? await store.armedAlertTotals() { metrics.gauge("pollbot_alerts_armed", Double(armed.alerts)) }
        }
    }
}

extension BotStore {
    /// Armed price alerts, and how many users they belong to.
    fileprivate func armedAlertTotals() throws -> (alerts: Int, users: Int) {
        try db.query("SELECT count(*), count(DISTINCT user_id) FROM price_alerts WHERE state = 'armed'") {
            ($0.int(0), $0.int(1))
        }.first ?? (0, 0)
    }
}
