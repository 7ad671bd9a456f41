import BotKit
import Foundation

/// A broker answer and when it was fetched.
public struct Fetched<Value: Sendable>: Sendable {
    public var value: Value
    public var fetchedAt: Date
    /// True when the answer came from the cache, not from the broker just now.
    public var fromCache: Bool
}

/// Recent broker answers per account and call, each kept for its call's time to live.
///
/// Traders tap Refresh and /positions many times a minute; within the TTL the
/// broker is not asked again. Relinking, switching or unlinking an account drops its entries; an order call drops
/// every entry fetched from its host (one OpenAlgo instance is one broker account, whoever linked it).
public actor ResponseCache {
    private struct Entry {
        var value: any Sendable
        var host: String?
        var fetchedAt: Date
        var expires: Date
    }

    private var entries: [String: Entry] = [:]
    private let now: @Sendable () -> Date
    private let capacity: Int

    /// Where hits and misses are counted, by call.
    private let metrics: BotMetrics?

    public init(capacity: Int = 5000, now: @escaping @Sendable () -> Date = { Date() }, metrics: BotMetrics? = nil) {
        self.metrics = metrics
        self.capacity = capacity
        self.now = now
    }

    /// The cached answer for `call` of `account` until it expires (skipped when `refresh`), else a fresh one from `fetch`
    /// (asking `host`), kept for `ttl` seconds when ttl > 0 and the cache, once rid of expired entries, has room (an entry
    /// expires by the `ttl` it was stored with).
    public func value<Value: Sendable>(account: String, host: String? = nil, call: String, ttl: TimeInterval, refresh: Bool = false,
                                       fetch: @Sendable () async throws -> Value) async throws -> Fetched<Value> {
        let key = "\(account)\u{1F}\(call)"
        let current = now()
        if !refresh, let entry = entries[key], entry.expires > current, let value = entry.value as? Value {
            metrics?.count("pollbot_cache_hits_total", [("call", Self.family(call))])
            return Fetched(value: value, fetchedAt: entry.fetchedAt, fromCache: true)
        }
        metrics?.count("pollbot_cache_misses_total", [("call", Self.family(call))])
        let value = try await fetch()
        let fetchedAt = now()
        if ttl > 0 {
            if entries.count >= capacity { entries = entries.filter { $0.value.expires > fetchedAt } }
            if entries.count < capacity {
                entries[key] = Entry(value: value, host: host, fetchedAt: fetchedAt, expires: fetchedAt.addingTimeInterval(ttl))
            }
        }
        return Fetched(value: value, fetchedAt: fetchedAt, fromCache: false)
    }

    /// The call without its arguments (`quotes:NSE:SBIN` is `quotes`): a label with few values, whatever users ask.
    static func family(_ call: String) -> String {
        String(call.prefix { $0 != ":" })
    }

    /// Drops every answer of `account` (its key or host changed, or it left).
    public func invalidate(account: String) {
        let prefix = "\(account)\u{1F}"
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
    }

    /// Drops every answer fetched from `host`: an order there changed its books, whichever account placed it.
    public func invalidate(host: String) {
        entries = entries.filter { $0.value.host != host }
    }

    /// Entries held, for tests.
    public var count: Int { entries.count }
}
