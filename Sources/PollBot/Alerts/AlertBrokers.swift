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

    /// The first usable broker among the armed alerts' owners' accounts on `host`: any linked key on a host reads its
    /// prices. The owners are read a page at a time, since the first one almost always answers.
    static func anyBroker(host: String, hub: TradingHub) async throws -> ResilientBroker? {
        var tried = Set<String>(), after: Int64 = 0
        while true {
            let page = try await hub.store.alertOwners(host: host, after: after, limit: ownersPerPage)
            for owner in page where tried.insert("\(owner.userID)/\(owner.account)").inserted {
                if let broker = try await broker(userID: owner.userID, account: owner.account, host: host, hub: hub) { return broker }
            }
            guard let last = page.last, page.count == ownersPerPage else { return nil }
            after = last.id
        }
    }

    /// How many alerts' owners one read of `anyBroker` looks at.
    static let ownersPerPage = 32
}
