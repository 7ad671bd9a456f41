import Foundation
import Synchronization

/// A wall clock that moves only when a test says so; pass `{ clock.now }` where a type takes `now`.
public final class ManualDate: Sendable {
    private let state: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_000_000)) {
        state = Mutex(start)
    }

    public var now: Date { state.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { state.withLock { $0 += seconds } }
}
