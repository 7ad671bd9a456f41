import BotKit
import Foundation

/// Per-host circuit breakers: after `threshold` consecutive host failures, calls
/// to that host fail at once for `coolDown`, then one probe call is let through.
///
/// A hung broker then costs each user an instant reply instead of a 10 s wait,
/// and the broker is not hammered while it recovers.
public actor CircuitBreaker {
    private enum State {
        case closed(failures: Int, since: Date?)
        case open(since: Date, until: Date)
        case probing(since: Date)
    }

    public let threshold: Int
    public let coolDown: TimeInterval
    private let now: @Sendable () -> Date
    private var states: [String: State] = [:] {
        didSet { publishStates(oldValue) }
    }
    /// Where the state of each host and the broker calls (`ResilientBroker`) are recorded.
    public nonisolated let metrics: BotMetrics?

    public init(threshold: Int = 5, coolDown: TimeInterval = 30, now: @escaping @Sendable () -> Date = { Date() },
                metrics: BotMetrics? = nil) {
        self.metrics = metrics
        self.threshold = threshold
        self.coolDown = coolDown
        self.now = now
    }

    /// Lets a call to `host` go ahead, or throws `BrokerError.circuitOpen`.
    public func admit(_ host: String) throws {
        switch states[host] ?? .closed(failures: 0, since: nil) {
        case .closed: return
        case let .open(since, until):
            guard now() >= until else { throw BrokerError.circuitOpen(since: since, retryAt: until) }
            states[host] = .probing(since: since)
        case .probing(let since):
            // One probe at a time; the others get the open answer until it reports.
            throw BrokerError.circuitOpen(since: since, retryAt: now().addingTimeInterval(1))
        }
    }

    /// Records the outcome of an admitted call, once per call.
    ///
    /// `abandoned` is a call that ended without an answer about the host
    /// (cancelled): it changes nothing, except that a probe it carried lets the
    /// next call probe at once instead of leaving the breaker half-open forever.
    public func record(_ host: String, failed: Bool, abandoned: Bool = false) {
        let state = states[host] ?? .closed(failures: 0, since: nil)
        if abandoned {
            if case .probing(let since) = state { states[host] = .open(since: since, until: now()) }
            return
        }
        guard failed else {
            states[host] = nil
            return
        }
        switch state {
        case let .closed(failures, since):
            let started = since ?? now()
            states[host] = failures + 1 >= threshold ? .open(since: started, until: now().addingTimeInterval(coolDown))
                : .closed(failures: failures + 1, since: started)
        case .probing(let since), .open(let since, _):
            states[host] = .open(since: since, until: now().addingTimeInterval(coolDown))
        }
    }

    /// Publishes each of `hosts` as closed before its first call, so that dashboards list every configured host.
    public nonisolated func declare(_ hosts: [String]) {
        for host in hosts { metrics?.gauge("pollbot_breaker_state", [("host", host)], 0) }
    }

    /// Sets `pollbot_breaker_state{host}` (0 closed, 1 half-open, 2 open) for each host whose state kind changed.
    private func publishStates(_ old: [String: State]) {
        guard let metrics else { return }
        for host in Set(old.keys).union(states.keys) {
            let level = Self.level(states[host])
            if level != Self.level(old[host]) || old[host] == nil { metrics.gauge("pollbot_breaker_state", [("host", host)], level) }
        }
    }

    private static func level(_ state: State?) -> Double {
        switch state {
        case .open: 2
        case .probing: 1
        case .closed, nil: 0
        }
    }

    /// Hosts whose calls are refused now (open or probing), with the time their run of failures began.
    public func openHosts() -> [(host: String, since: Date)] {
        hostStates().compactMap { entry in
            guard entry.state != "closed", let since = entry.since else { return nil }
            return (entry.host, since)
        }
    }

    /// True while calls to `host` are refused.
    public func isOpen(_ host: String) -> Bool {
        switch states[host] {
        case .open, .probing: return true
        default: return false
        }
    }
}

extension CircuitBreaker {
    /// A host's breaker as the status page shows it.
    public struct HostState: Sendable, Equatable {
        public var host: String
        /// closed, half-open or open.
        public var state: String
        /// Failures in a row while closed; 0 once open.
        public var failures: Int
        /// When the current run of failures began.
        public var since: Date?
    }

    /// Every host with a failure on record or a breaker not closed, by host name; a host whose last call
    /// succeeded is not listed (its breaker is closed with nothing to say).
    public func hostStates() -> [HostState] {
        states.map { host, state in
            switch state {
            case let .closed(failures, since): HostState(host: host, state: "closed", failures: failures, since: since)
            case let .open(since, _): HostState(host: host, state: "open", failures: 0, since: since)
            case let .probing(since): HostState(host: host, state: "half-open", failures: 0, since: since)
            }
        }.sorted { $0.host < $1.host }
    }
}
