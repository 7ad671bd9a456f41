import BotKit
import Foundation

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
            return try await hub.cache.value(account: "\(userID)/\(accountName)", host: broker.host, call: call.key, ttl: TimeInterval(ttl),
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
