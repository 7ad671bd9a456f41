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

    public init(now: @escaping @Sendable () -> Date, pause: @escaping @Sendable (Duration) async -> Void,
                reconcileReads: [Duration], statusPolls: [Duration]) {
        self.now = now
        self.pause = pause
        self.reconcileReads = reconcileReads
        self.statusPolls = statusPolls
    }

    /// The real clock: three book reads over about 10 s, and status polls over about 6 s.
    public static let live = OrderTiming(now: { Date() }, pause: { try? await Task.sleep(for: $0) },
                                         reconcileReads: [.zero, .seconds(4), .seconds(6)],
                                         statusPolls: [.seconds(1), .seconds(2), .seconds(3)])
}
