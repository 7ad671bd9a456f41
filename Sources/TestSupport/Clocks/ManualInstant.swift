import Synchronization

/// A monotonic clock that moves only when a test says so; pass `{ clock.now }` where a type takes a
/// `ContinuousClock.Instant` clock (rate limits, token buckets).
public final class ManualInstant: Sendable {
    private let state: Mutex<ContinuousClock.Instant>

    public init(_ start: ContinuousClock.Instant = .now) {
        state = Mutex(start)
    }

    public var now: ContinuousClock.Instant { state.withLock { $0 } }

    public func advance(by duration: Duration) { state.withLock { $0 += duration } }
}
