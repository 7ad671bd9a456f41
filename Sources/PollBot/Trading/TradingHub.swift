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
        self.paper = broker.kind == .paper ? (paper ?? PaperExchange()) : nil
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
        ResilientBroker(broker, breaker: breaker, delays: retryDelays)
    }

    /// Forgets the cached answers of an account; every order action calls this.
    func invalidate(userID: Int64, accountName: String) async {
        await cache.invalidate(account: "\(userID)/\(accountName)")
    }
}

/// One command's view of one account: its broker behind the breaker, and the cache.
struct TradingSession: Sendable {
    let hub: TradingHub
    let userID: Int64
    let accountName: String
    let broker: ResilientBroker

    /// The kinds of call the cache keeps, each with its time to live.
    enum Call {
        case funds, positions, orders, trades, holdings, quotes(String)

        var key: String {
            switch self {
            case .funds: "funds"
            case .positions: "positions"
            case .orders: "orders"
            case .trades: "trades"
            case .holdings: "holdings"
            case .quotes(let symbols): "quotes:\(symbols)"
            }
        }
    }

    /// The answer to `call`, from the cache within its time to live unless `refresh`; failures become `BrokerFailure`.
    func fetch<Value: Sendable>(_ call: Call, refresh: Bool = false, _ body: @escaping @Sendable (ResilientBroker) async throws -> Value)
        async throws -> Fetched<Value> {
        let times = hub.cacheTimes
        let ttl: Int = switch call {
        case .funds: times.funds
        case .positions: times.positions
        case .orders: times.orders
        case .trades: times.trades
        case .holdings: times.holdings
        case .quotes: times.quotes
        }
        do {
            return try await hub.cache.value(account: "\(userID)/\(accountName)", call: call.key, ttl: TimeInterval(ttl),
                                             refresh: refresh) { [broker] in try await body(broker) }
        } catch let error as BrokerError {
            throw BrokerFailure(error, account: accountName, broker: broker, settings: hub.broker)
        }
    }

    /// A plain call, neither cached nor cacheable (history, intervals).
    func call<Value: Sendable>(_ body: @Sendable (ResilientBroker) async throws -> Value) async throws -> Value {
        do {
            return try await body(broker)
        } catch let error as BrokerError {
            throw BrokerFailure(error, account: accountName, broker: broker, settings: hub.broker)
        }
    }

    /// The money and time formats of this bot.
    var format: DisplayFormat { DisplayFormat(currency: hub.broker.currency, timeZone: hub.broker.timeZone) }

    /// " · DEMO (paper broker)" when the data is simulated, else nothing: every reply the paper broker feeds carries it.
    var demoMark: String { broker.isDemo ? " \u{00B7} <b>DEMO</b> (paper broker)" : "" }

    /// The heading of a reply: title, account, and the DEMO mark.
    func heading(_ title: String) -> String {
        "<b>\(HTML.escape(title))</b> \u{00B7} \(HTML.escape(accountName))\(demoMark)"
    }

    /// "as of 14:02:31" for an answer from the cache, nothing for a fresh one.
    func freshness(_ fetchedAt: Date, fromCache: Bool) -> String {
        fromCache ? "\n<i>as of \(format.clock(fetchedAt))</i>" : ""
    }
}
