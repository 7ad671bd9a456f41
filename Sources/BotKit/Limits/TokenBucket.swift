/// A token bucket: `capacity` tokens, refilled at `ratePerSecond`.
public struct TokenBucket: Sendable {
    public let capacity: Double
    public let ratePerSecond: Double
    private var tokens: Double
    private var updatedAt: ContinuousClock.Instant
    /// Durations are whole attoseconds, so a refill over exactly the wait `take` named can fall a hair short of a
    /// token; without this slack the caller waits again for nothing (found by TokenBucketProperties).
    private static let slack = 1e-9

    public init(capacity: Double, ratePerSecond: Double, now: ContinuousClock.Instant = .now) {
        self.capacity = capacity
        self.ratePerSecond = ratePerSecond
        self.tokens = capacity
        self.updatedAt = now
    }

    /// Takes one token if there is one; otherwise returns how long until there will be.
    public mutating func take(now: ContinuousClock.Instant = .now) -> Duration? {
        refill(now)
        if tokens + Self.slack >= 1 {
            tokens = max(0, tokens - 1)
            return nil
        }
        return .seconds((1 - tokens) / ratePerSecond)
    }

    /// How long until a token is available, without taking one.
    public mutating func wait(now: ContinuousClock.Instant = .now) -> Duration? {
        refill(now)
        return tokens + Self.slack >= 1 ? nil : .seconds((1 - tokens) / ratePerSecond)
    }

    /// True when the bucket is full again, so it can be forgotten.
    public mutating func isFull(now: ContinuousClock.Instant = .now) -> Bool {
        refill(now)
        return tokens + Self.slack >= capacity
    }

    private mutating func refill(_ now: ContinuousClock.Instant) {
        let seconds = updatedAt.duration(to: now).inSeconds
        if seconds > 0 {
            tokens = min(capacity, tokens + seconds * ratePerSecond)
            updatedAt = now
        }
    }
}
