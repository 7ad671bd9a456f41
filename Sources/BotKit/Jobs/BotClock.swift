import Foundation
import Synchronization

/// The wall clock the bot runs by: the job scheduler, the paper market and the market-hours window all ask it, so a
/// demo that moves it forward moves them together. A live bot's clock is the system time (offset 0, never moved).
public final class BotClock: Sendable {
    private let base: @Sendable () -> Date
    private let shift: Mutex<TimeInterval>

    /// A clock `offset` seconds ahead of `base` (the system time unless a test fixes it).
    public init(offset: TimeInterval = 0, base: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        shift = Mutex(offset.isFinite ? offset : 0)
    }

    /// The clock's time: `base` plus the offset.
    public func now() -> Date { base().addingTimeInterval(offset) }

    /// How far ahead of `base` the clock runs, in seconds.
    public var offset: TimeInterval { shift.withLock { $0 } }

    /// Moves the clock forward by `seconds`; a negative or non-finite step is ignored (the clock never runs back).
    public func advance(by seconds: TimeInterval) {
        guard seconds.isFinite, seconds > 0 else { return }
        shift.withLock { $0 += seconds }
    }
}
