import Foundation

/// Exponential backoff with jitter: 1 s growing x1.5 up to 30 s by default.
public struct Backoff: Sendable {
    public let initial: Double
    public let factor: Double
    public let maximum: Double
    public private(set) var attempt = 0

    public init(initial: Double = 1, factor: Double = 1.5, maximum: Double = 30) {
        self.initial = initial
        self.factor = factor
        self.maximum = maximum
    }

    /// The next delay in seconds; each call grows it.
    public mutating func next() -> Double {
        let base = min(maximum, initial * pow(factor, Double(attempt)))
        attempt += 1
        // Up to 20% jitter so that many clients do not retry in lockstep.
        return base * Double.random(in: 0.8...1.0)
    }

    /// Back to the initial delay after a success.
    public mutating func reset() { attempt = 0 }
}
