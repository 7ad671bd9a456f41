import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// One bot's metrics: its own Prometheus registry, written through swift-metrics with an explicit factory.
///
/// `MetricsSystem.bootstrap` may run once per process, and the tests run many bots in one process, each
/// asserting its own figures; so every bot gets a registry and hands it to whatever it instruments instead
/// of going through the global factory. A metric name always carries the same label names (the registry
/// traps on a family that mixes them).
public final class BotMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Figures read at scrape time (queue depths, file sizes, process figures), in registration order.
    private let refreshers = Mutex<[@Sendable () async -> Void]>([])

    /// Latency buckets from 1 ms to 10 s, close enough together for p50/p95/p99 to be read within a step.
    public static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20), .milliseconds(35),
        .milliseconds(50), .milliseconds(75), .milliseconds(100), .milliseconds(150), .milliseconds(200), .milliseconds(300),
        .milliseconds(500), .milliseconds(750), .seconds(1), .milliseconds(1500), .seconds(2), .seconds(3), .seconds(5),
        .milliseconds(7500), .seconds(10),
    ]

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        self.factory = factory
    }

    /// Adds `amount` to the counter `name` with `labels`.
    public func count(_ name: String, _ labels: [(String, String)] = [], by amount: Int = 1) {
        Counter(label: name, dimensions: labels, factory: factory).increment(by: amount)
    }

    /// Adds a fractional amount (CPU seconds) to the unlabelled counter `name`; ignores what is not a finite gain.
    public func add(_ name: String, _ amount: Double) {
        guard amount.isFinite, amount > 0 else { return }
        FloatingPointCounter(label: name, dimensions: [], factory: factory).increment(by: amount)
    }

    /// Records one duration in the histogram `name` (seconds, `latencyBuckets`).
    public func time(_ name: String, _ labels: [(String, String)] = [], _ duration: Duration) {
        Timer(label: name, dimensions: labels, factory: factory).recordNanoseconds(duration.nanoseconds)
    }

    /// Sets the unlabelled gauge `name` to `value`.
    public func gauge(_ name: String, _ value: Double) { gauge(name, [], value) }

    /// Sets the gauge `name` with `labels` to `value`; a value that is not finite reads 0.
    public func gauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
        Gauge(label: name, dimensions: labels, factory: factory).record(value.isFinite ? value : 0)
    }

    /// Runs `refresh` before every scrape, to set the gauges it owns.
    public func onScrape(_ refresh: @escaping @Sendable () async -> Void) {
        refreshers.withLock { $0.append(refresh) }
    }

    /// Every series in Prometheus text format, after the scrape-time gauges are refreshed.
    public func exposition() async -> String {
        for refresh in refreshers.withLock({ $0 }) { await refresh() }
        return registry.emitToString()
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating rather than trapping on an absurd value.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
