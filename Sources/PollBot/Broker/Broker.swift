import BotKit
import Foundation

/// What the bot needs from a broker: account data, market data, history.
///
/// OpenAlgo's REST client and the paper broker both conform; the resilience
/// (retries, circuit breaker) and the cache wrap any of them.
public protocol Broker: Sendable {
    /// Who answers, for messages: "OpenAlgo at http://127.0.0.1:5000" or "the paper broker".
    var label: String { get }
    /// Where the answers come from, for the circuit breaker and the cache.
    var host: String { get }
    /// True when the data is simulated; every reply fed by it says DEMO.
    var isDemo: Bool { get }

    func funds() async throws -> Funds
    func orderBook() async throws -> OrderBook
    func tradeBook() async throws -> [Trade]
    func positions() async throws -> [Position]
    func holdings() async throws -> Holdings
    func quote(_ instrument: Instrument) async throws -> Quote
    func quotes(_ instruments: [Instrument]) async throws -> [QuoteResult]
    /// Bars of `interval` for the sessions from `start` to `end` (exchange-local dates, inclusive).
    func history(_ instrument: Instrument, interval: String, start: Date, end: Date) async throws -> [Candle]
    /// The intervals `history` accepts.
    func intervals() async throws -> Intervals
    /// A cheap call that proves the key and the broker session work.
    func ping() async throws
    /// The option expiries of `underlying` (a stock on NSE, an index on NSE_INDEX), soonest first; empty when no
    /// options trade on it (not in the F&O segment), which is an answer, not an error.
    func expiries(_ underlying: Instrument) async throws -> [ExpiryDate]
    /// The options of `underlying` expiring on `expiry`: `strikeCount` strikes either side of the ATM strike (nil: all
    /// listed), with Greeks priced at `interestRate` percent a year where the broker computes them.
    func optionChain(_ underlying: Instrument, expiry: ExpiryDate, strikeCount: Int?, interestRate: Double) async throws -> OptionChain

    // MARK: Orders. None of these is ever retried automatically: a repeat could place a second order.

    /// Places `order` once; a timeout, dropped connection or 5xx throws `BrokerError.outcomeUnknown` (the order may
    /// exist: reconcile with the order book), a refusal throws the broker's reason.
    func placeOrder(_ order: OrderRequest) async throws -> OrderPlacement
    /// Changes the open order `id` to `order`'s price, quantity and type (OpenAlgo wants every field again).
    func modifyOrder(id: String, to order: OrderRequest) async throws -> OrderAck
    /// Cancels the open order `id`.
    func cancelOrder(id: String) async throws -> OrderAck
    /// Cancels every open order of the broker account, manual ones included.
    func cancelAllOrders() async throws -> CancelAllReply
    /// Squares off every open position of the broker account at market.
    func closeAllPositions() async throws -> CloseAllReply
    /// The order `id` as the broker reports it now, with its fill price once complete.
    func orderStatus(id: String) async throws -> OrderStatus
    /// Whether orders go to the exchange or to the sandbox.
    func analyzerMode() async throws -> AnalyzerMode
    /// Switches analyze mode on or off and returns the mode the broker reports afterwards.
    @discardableResult
    func setAnalyzerMode(_ on: Bool) async throws -> AnalyzerMode
}
