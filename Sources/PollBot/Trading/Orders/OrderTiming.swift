import Foundation

/// The order flow's clock and waits, injected so tests never sleep.
public struct OrderTiming: Sendable {
    /// The time now.
    public var now: @Sendable () -> Date
    /// Waits `duration` (tests: returns at once).
    public var pause: @Sendable (Duration) async -> Void
    /// The wait before each order book read while reconciling: the grace period an unconfirmed order has to appear,
    /// counted from the intent's creation (reads whose time has passed come at once).
    public var reconcileReads: [Duration]
    /// The wait before each order status poll after placement.
    public var statusPolls: [Duration]
    /// After a press's reconcile could not read the book at all: the wait before each further attempt (past the
    /// circuit breaker's 30 s cool-down), so the intent is settled without waiting for a restart.
    public var unreadableRetries: [Duration]

    public init(now: @escaping @Sendable () -> Date, pause: @escaping @Sendable (Duration) async -> Void,
                reconcileReads: [Duration], statusPolls: [Duration], unreadableRetries: [Duration] = []) {
        self.now = now
        self.pause = pause
        self.reconcileReads = reconcileReads
        self.statusPolls = statusPolls
        self.unreadableRetries = unreadableRetries
    }

    /// The real clock: three book reads over about 10 s, status polls over about 6 s, and an unreadable book read
    /// again 10, 25 and 55 s after the first try (`fitting` keeps only those a press has time for).
    public static let live = OrderTiming(now: { Date() }, pause: { try? await Task.sleep(for: $0) },
                                         reconcileReads: [.zero, .seconds(4), .seconds(6)],
                                         statusPolls: [.seconds(1), .seconds(2), .seconds(3)],
                                         unreadableRetries: [.seconds(10), .seconds(15), .seconds(30)])

    /// This timing with only the unreadable-book retries that fit in one press: the order call's own time limit, the
    /// reads, the status polls and the retries must end 5 s before the handler's limit, or the user is told the press
    /// "was stopped" and the verdict found after it is dropped with the late result.
    public func fitting(handlerTimeout: Duration, brokerTimeout: Duration) -> OrderTiming {
        var fitted = self
        let fixed = brokerTimeout + reconcileReads.reduce(.zero, +) + statusPolls.reduce(.zero, +) + .seconds(5)
        while !fitted.unreadableRetries.isEmpty, fixed + fitted.unreadableRetries.reduce(.zero, +) > handlerTimeout {
            fitted.unreadableRetries.removeLast()
        }
        return fitted
    }
}
