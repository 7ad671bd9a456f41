import BotKit
import Foundation

/// The broker an alert's prices come from: its owner's account on its host (the paper broker when the bot runs it),
/// behind the hub's breaker, without the cache (a check wants the price now).
enum AlertBrokers {
    /// `userID`'s account `account` on `host` as a broker, or nil when it is gone (unlinked, moved host, key unopenable).
    static func broker(userID: Int64, account: String, host: String, hub: TradingHub) async throws -> ResilientBroker? {
        if let paper = hub.paper {
            return ResilientBroker(await paper.broker(for: userID), breaker: hub.breaker, delays: hub.retryDelays)
        }
        guard let linked = try await hub.store.accounts(of: userID).first(where: { $0.name == account && $0.host == host }) else {
            return nil
        }
        let accounts = AccountContext(userID: userID, store: hub.store, vault: hub.vault, broker: hub.broker)
        guard let client = try? accounts.client(for: linked) else { return nil }
        return ResilientBroker(client, breaker: hub.breaker, delays: hub.retryDelays)
    }

    /// The first usable broker among `alerts`' owners' accounts on `host`: any linked key on a host reads its prices.
    static func anyBroker(for alerts: [PriceAlert], host: String, hub: TradingHub) async throws -> ResilientBroker? {
        var tried = Set<String>()
        for alert in alerts where tried.insert("\(alert.userID)/\(alert.account)").inserted {
            if let broker = try await broker(userID: alert.userID, account: alert.account, host: host, hub: hub) { return broker }
        }
        return nil
    }
}
