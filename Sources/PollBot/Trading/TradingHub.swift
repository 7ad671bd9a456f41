import BotKit
import Foundation

/// What the trading commands share: the broker kind, the breaker, the cache, the paper exchange, display settings,
/// and the linked accounts' keys. It works with a user id and an account, never with routing types.
public final class TradingHub: Sendable {
    public let broker: BotConfig.Broker
    public let cacheTimes: BotConfig.Cache
    public let breaker: CircuitBreaker
    public let cache: ResponseCache
    public let paper: PaperExchange?
    let store: BotStore
    let vault: Vault
    let retryDelays: [Duration]

    public init(broker: BotConfig.Broker, cacheTimes: BotConfig.Cache, store: BotStore, vault: Vault,
                breaker: CircuitBreaker = CircuitBreaker(), cache: ResponseCache = ResponseCache(), paper: PaperExchange? = nil,
                retryDelays: [Duration] = [.milliseconds(250), .milliseconds(750)]) {
        self.broker = broker
        self.cacheTimes = cacheTimes
        self.store = store
        self.vault = vault
        self.breaker = breaker
        self.cache = cache
        self.paper = broker.kind == .paper ? (paper ?? PaperExchange(store: store)) : nil
        self.retryDelays = retryDelays
    }

    /// The hub for a bot.toml.
    public convenience init(config: BotConfig, store: BotStore, vault: Vault) {
        self.init(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault)
    }

    private func accounts(of userID: Int64) -> AccountContext {
        AccountContext(userID: userID, store: store, vault: vault, broker: broker)
    }

    /// A session on the user's active account (the paper account when the bot runs the paper broker).
    func session(userID: Int64) async throws -> TradingSession {
        if let paper {
            return TradingSession(hub: self, userID: userID, accountName: "paper", broker: wrap(await paper.broker(for: userID)))
        }
        let accounts = accounts(of: userID)
        guard let account = try await store.activeAccount(of: userID) else {
            throw UserError("No account is linked yet. Link your OpenAlgo API key with <code>/link API_KEY</code> (in this private chat), then try again.")
        }
        return TradingSession(hub: self, userID: userID, accountName: account.name, broker: wrap(try accounts.client(for: account)))
    }

    /// A session on every linked account of the user, for /pnl all.
    func sessions(userID: Int64) async throws -> [TradingSession] {
        if paper != nil { return [try await session(userID: userID)] }
        let accounts = accounts(of: userID)
        let linked = try await store.accounts(of: userID)
        guard !linked.isEmpty else {
            throw UserError("No account is linked yet. Link your OpenAlgo API key with <code>/link API_KEY</code>, then try again.")
        }
        return try linked.map { account in
            TradingSession(hub: self, userID: accounts.userID, accountName: account.name, broker: wrap(try accounts.client(for: account)))
        }
    }

    private func wrap(_ broker: any Broker) -> ResilientBroker {
        ResilientBroker(broker, breaker: breaker, delays: retryDelays, cache: cache)
    }

    /// Forgets the cached answers of an account; /link, /use and /unlink call this, so no reply shows data fetched
    /// with a key that changed or left.
    func invalidate(userID: Int64, accountName: String) async {
        await cache.invalidate(account: "\(userID)/\(accountName)")
    }
}
