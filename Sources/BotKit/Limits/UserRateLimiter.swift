import Synchronization

/// Per-user and overall limits on commands and button presses, in memory.
///
/// A user over the limit is told once when to try again, then ignored until
/// the bucket refills. Full buckets are forgotten, so memory follows the users
/// active in the last minute, not every user ever seen.
public final class UserRateLimiter: Sendable {
    /// What to do with one command or press.
    public enum Verdict: Equatable, Sendable {
        case allow
        /// Tell the user once: try again in this many seconds.
        case warn(seconds: Int)
        /// Already warned: say nothing.
        case silent
    }

    private struct State {
        var users: [Int64: (bucket: TokenBucket, warned: Bool)] = [:]
        var global: TokenBucket?
        var checksSinceSweep = 0
    }

    private let perMinute: Int
    private let burst: Int
    private let state: Mutex<State>

    /// `perMinute` 0 or `globalPerSecond` 0 turns that limit off.
    public init(perMinute: Int, burst: Int, globalPerSecond: Int) {
        self.perMinute = perMinute
        self.burst = max(1, burst)
        var initial = State()
        if globalPerSecond > 0 {
            initial.global = TokenBucket(capacity: Double(globalPerSecond), ratePerSecond: Double(globalPerSecond))
        }
        state = Mutex(initial)
    }

    public func check(user: Int64, now: ContinuousClock.Instant = .now) -> Verdict {
        state.withLock { state in
            state.checksSinceSweep += 1
            if state.checksSinceSweep >= 1000 { sweep(&state, now) }
            if perMinute > 0 {
                var entry = state.users[user]
                    ?? (TokenBucket(capacity: Double(burst), ratePerSecond: Double(perMinute) / 60, now: now), false)
                if let wait = entry.bucket.take(now: now) {
                    defer { entry.warned = true; state.users[user] = entry }
                    return entry.warned ? .silent : .warn(seconds: Self.seconds(wait))
                }
                entry.warned = false
                state.users[user] = entry
            }
            if var global = state.global {
                let wait = global.take(now: now)
                state.global = global
                if let wait { return .warn(seconds: Self.seconds(wait)) }
            }
            return .allow
        }
    }

    /// Users with a bucket in memory.
    public var trackedUsers: Int { state.withLock { $0.users.count } }

    private func sweep(_ state: inout State, _ now: ContinuousClock.Instant) {
        state.checksSinceSweep = 0
        for (user, var entry) in state.users where entry.bucket.isFull(now: now) { state.users[user] = nil }
    }

    private static func seconds(_ wait: Duration) -> Int { max(1, Int(wait.components.seconds) + 1) }
}
