import Synchronization

/// Per-user (a minute's and an hour's) and overall limits on commands and button presses, in memory.
///
/// A user over a limit is told when to try again at most once a minute, and
/// ignored otherwise: a flooding user (or script) cannot make the bot flood
/// Telegram with notices. Entries whose bucket is full and whose notice is
/// older than a minute are forgotten, so memory follows the users active in
/// the last minute, not every user ever seen.
public final class UserRateLimiter: Sendable {
    /// What to do with one command or press.
    public enum Verdict: Equatable, Sendable {
        case allow
        /// Tell the user: try again in this many seconds.
        case warn(seconds: Int)
        /// Tell the user: they sent `limit` commands within the hour; try again in this many seconds.
        case warnHourly(seconds: Int, limit: Int)
        /// Told within the last minute: say nothing.
        case silent
    }

    /// How often a user over the limit is told so at most.
    public static let noticeInterval: Duration = .seconds(60)

    private struct Entry {
        var bucket: TokenBucket?
        var hourly: TokenBucket?
        var warnedAt: ContinuousClock.Instant?
    }

    private struct State {
        var users: [Int64: Entry] = [:]
        var global: TokenBucket?
        var checksSinceSweep = 0
    }

    private let perMinute: Int
    private let burst: Int
    private let perHour: Int
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let state: Mutex<State>

    /// `perMinute`, `perHour` or `globalPerSecond` 0 turns that limit off; `now` is the clock (tests move their own).
    public init(perMinute: Int, burst: Int, globalPerSecond: Int, perHour: Int = 0,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.perMinute = perMinute
        self.burst = max(1, burst)
        self.perHour = perHour
        clock = now
        var initial = State()
        if globalPerSecond > 0 {
            initial.global = TokenBucket(capacity: Double(globalPerSecond), ratePerSecond: Double(globalPerSecond), now: now())
        }
        state = Mutex(initial)
    }

    /// Takes a token for `user` (and one from the overall bucket) or says how to refuse; `now` defaults to the clock.
    public func check(user: Int64, now: ContinuousClock.Instant? = nil) -> Verdict {
        let now = now ?? clock()
        return state.withLock { state in
            state.checksSinceSweep += 1
            if state.checksSinceSweep >= 1000 { sweep(&state, now) }
            var entry = state.users[user] ?? Entry()
            defer { state.users[user] = entry }
            var wait: Duration?
            // The hour's bucket is only looked at here and taken from last, so a refusal by another limit costs none of it.
            var hourly: TokenBucket?
            if perHour > 0 {
                var bucket = entry.hourly ?? TokenBucket(capacity: Double(perHour), ratePerSecond: Double(perHour) / 3600, now: now)
                let hourWait = bucket.wait(now: now)
                entry.hourly = bucket
                if let hourWait { return notice(&entry, now, .warnHourly(seconds: Self.seconds(hourWait), limit: perHour)) }
                hourly = bucket
            }
            if perMinute > 0 {
                var bucket = entry.bucket ?? TokenBucket(capacity: Double(burst), ratePerSecond: Double(perMinute) / 60, now: now)
                wait = bucket.take(now: now)
                entry.bucket = bucket
            }
            if wait == nil, var global = state.global {
                wait = global.take(now: now)
                state.global = global
            }
            guard let wait else {
                if var hourly {
                    _ = hourly.take(now: now)
                    entry.hourly = hourly
                }
                return .allow
            }
            return notice(&entry, now, .warn(seconds: Self.seconds(wait)))
        }
    }

    /// `warning`, or silence when the user was told within the last minute.
    private func notice(_ entry: inout Entry, _ now: ContinuousClock.Instant, _ warning: Verdict) -> Verdict {
        if let warnedAt = entry.warnedAt, warnedAt.duration(to: now) < Self.noticeInterval { return .silent }
        entry.warnedAt = now
        return warning
    }

    /// Users with an entry in memory.
    public var trackedUsers: Int { state.withLock { $0.users.count } }

    private func sweep(_ state: inout State, _ now: ContinuousClock.Instant) {
        state.checksSinceSweep = 0
        for (user, var entry) in state.users {
            let full = (entry.bucket?.isFull(now: now) ?? true) && (entry.hourly?.isFull(now: now) ?? true)
            let noticeOver = entry.warnedAt.map { $0.duration(to: now) >= Self.noticeInterval } ?? true
            if full && noticeOver { state.users[user] = nil }
        }
    }

    private static func seconds(_ wait: Duration) -> Int { max(1, Int(wait.components.seconds) + 1) }
}
