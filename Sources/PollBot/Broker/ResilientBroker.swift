import BotKit
import Foundation

/// Wraps a broker with bounded retries for reads, the per-host circuit breaker, and single-shot writes.
///
/// A read is retried at most twice (0.25 s, then 0.75 s) when the host did
/// not answer or answered 5xx, and after a 429 whose `retry_after` is short.
/// A timeout is not retried: the call already took the whole timeout, and a
/// trader is better served by the error now than by the same wait twice more.
/// An order call (a write) is never retried, whatever happened: a second
/// attempt could place a second order. After every write, whatever its
/// outcome, `cache` drops the host's answers.
public struct ResilientBroker: Broker {
    public let base: any Broker
    private let breaker: CircuitBreaker
    private let cache: ResponseCache?
    private let delays: [Duration]
    /// How the wait before a retry passes (tests record it instead of waiting).
    private let sleep: @Sendable (Duration) async throws -> Void

    public init(_ base: any Broker, breaker: CircuitBreaker, delays: [Duration] = [.milliseconds(250), .milliseconds(750)],
                cache: ResponseCache? = nil, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.sleep = sleep
        self.cache = cache
        self.base = base
        self.breaker = breaker
        self.delays = delays
    }

    public var label: String { base.label }
    public var host: String { base.host }
    public var isDemo: Bool { base.isDemo }

    public func funds() async throws -> Funds { try await read { try await $0.funds() } }
    public func orderBook() async throws -> OrderBook { try await read { try await $0.orderBook() } }
    public func tradeBook() async throws -> [Trade] { try await read { try await $0.tradeBook() } }
    public func positions() async throws -> [Position] { try await read { try await $0.positions() } }
    public func holdings() async throws -> Holdings { try await read { try await $0.holdings() } }
    public func quote(_ instrument: Instrument) async throws -> Quote { try await read { try await $0.quote(instrument) } }
    public func quotes(_ instruments: [Instrument]) async throws -> [QuoteResult] { try await read { try await $0.quotes(instruments) } }
    public func intervals() async throws -> Intervals { try await read { try await $0.intervals() } }
    public func ping() async throws { try await read { try await $0.ping() } }

    public func expiries(_ underlying: Instrument) async throws -> [ExpiryDate] { try await read { try await $0.expiries(underlying) } }

    public func optionChain(_ underlying: Instrument, expiry: ExpiryDate, strikeCount: Int?, interestRate: Double) async throws -> OptionChain {
        try await read { try await $0.optionChain(underlying, expiry: expiry, strikeCount: strikeCount, interestRate: interestRate) }
    }

    public func history(_ instrument: Instrument, interval: String, start: Date, end: Date) async throws -> [Candle] {
        try await read { try await $0.history(instrument, interval: interval, start: start, end: end) }
    }

    public func placeOrder(_ order: OrderRequest) async throws -> OrderPlacement { try await write { try await $0.placeOrder(order) } }
    public func modifyOrder(id: String, to order: OrderRequest) async throws -> OrderAck {
        try await write { try await $0.modifyOrder(id: id, to: order) }
    }
    public func cancelOrder(id: String) async throws -> OrderAck { try await write { try await $0.cancelOrder(id: id) } }
    public func cancelAllOrders() async throws -> CancelAllReply { try await write { try await $0.cancelAllOrders() } }
    public func closeAllPositions() async throws -> CloseAllReply { try await write { try await $0.closeAllPositions() } }
    public func orderStatus(id: String) async throws -> OrderStatus { try await read { try await $0.orderStatus(id: id) } }
    public func analyzerMode() async throws -> AnalyzerMode { try await read { try await $0.analyzerMode() } }
    @discardableResult
    public func setAnalyzerMode(_ on: Bool) async throws -> AnalyzerMode { try await write { try await $0.setAnalyzerMode(on) } }

    /// A write, counted and timed under the calling method's name.
    private func write<Result: Sendable>(_ endpoint: String = #function, _ call: @Sendable (any Broker) async throws -> Result)
        async throws -> Result {
        try await measured(endpoint) { try await writeOnce(call) }
    }

    /// A read with its retries, counted and timed as one call under the calling method's name.
    private func read<Result: Sendable>(_ endpoint: String = #function, _ call: @Sendable (any Broker) async throws -> Result)
        async throws -> Result {
        try await measured(endpoint) { try await readRetrying(call) }
    }

    /// `pollbot_broker_calls_total{endpoint,outcome}` and `pollbot_broker_call_duration_seconds{endpoint}` around `body`.
    private func measured<Result: Sendable>(_ function: String, _ body: () async throws -> Result) async throws -> Result {
        guard let metrics = breaker.metrics else { return try await body() }
        let endpoint = String(function.prefix { $0 != "(" })
        let started = ContinuousClock.now
        let outcome: String
        defer {
            metrics.count("pollbot_broker_calls_total", [("endpoint", endpoint), ("outcome", outcome)])
            metrics.time("pollbot_broker_call_duration_seconds", [("endpoint", endpoint)], started.duration(to: .now))
        }
        do {
            let result = try await body()
            outcome = "ok"
            return result
        } catch let error as BrokerError {
            outcome = error.metricOutcome
            throw error
        } catch {
            outcome = "cancelled"
            throw error
        }
    }

    /// Runs a write exactly once: the open breaker may refuse it (nothing was sent), and the outcome is recorded once.
    private func writeOnce<Result: Sendable>(_ call: @Sendable (any Broker) async throws -> Result) async throws -> Result {
        try await breaker.admit(base.host)
        do {
            let result = try await call(base)
            await breaker.record(base.host, failed: false)
            await cache?.invalidate(host: base.host)
            return result
        } catch let error as BrokerError {
            await breaker.record(base.host, failed: error.isHostFailure)
            await cache?.invalidate(host: base.host)
            throw error
        } catch {
            await breaker.record(base.host, failed: false, abandoned: true)
            await cache?.invalidate(host: base.host)
            throw error
        }
    }

    /// Runs a read through the breaker, retrying what a retry can fix.
    ///
    /// The breaker sees one outcome per logical call, not one per attempt: a
    /// call that needed its retries is one failure at most, so three users'
    /// retried calls cannot open the breaker for everyone, and a probe admitted
    /// while the breaker is half-open reports exactly once.
    private func readRetrying<Result: Sendable>(_ call: @Sendable (any Broker) async throws -> Result) async throws -> Result {
        try await breaker.admit(base.host)
        var attempt = 0
        while true {
            do {
                let result = try await call(base)
                await breaker.record(base.host, failed: false)
                return result
            } catch let error as BrokerError {
                guard attempt < delays.count, let delay = retryDelay(after: error, attempt: attempt) else {
                    await breaker.record(base.host, failed: error.isHostFailure)
                    throw error
                }
                attempt += 1
                do {
                    try await sleep(delay)
                } catch {
                    await breaker.record(base.host, failed: false, abandoned: true)
                    throw error
                }
            } catch {
                // Cancelled or an unexpected error: says nothing about the host, but a probe must still report.
                await breaker.record(base.host, failed: false, abandoned: true)
                throw error
            }
        }
    }

    private func retryDelay(after error: BrokerError, attempt: Int) -> Duration? {
        switch error {
        case .unreachable(let transport): return transport.isTimeout ? nil : delays[attempt]
        case .server(let status, _): return status >= 500 && !error.isUnknownSymbol ? delays[attempt] : nil
        case .rateLimited(let retryAfter):
            guard let retryAfter, retryAfter <= 2 else { return nil }
            return .seconds(max(retryAfter, 1))
        case .rejectedKey, .invalidRequest, .badResponse, .circuitOpen, .outcomeUnknown: return nil
        }
    }
}

extension BrokerError {
    /// The outcome label of a failed broker call.
    var metricOutcome: String {
        switch self {
        case .unreachable(let transport): transport.isTimeout ? "timeout" : "unreachable"
        case .server: "server_error"
        case .rateLimited: "rate_limited"
        case .rejectedKey: "rejected_key"
        case .invalidRequest: "invalid_request"
        case .badResponse: "bad_response"
        case .circuitOpen: "circuit_open"
        case .outcomeUnknown: "outcome_unknown"
        }
    }
}
