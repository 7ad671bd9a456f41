import CSQLite
import Foundation

/// Checkpoints the store's WAL from a connection and a thread of its own, so that no update ever waits for one.
///
/// The store's connection has SQLite's automatic checkpoint turned off (it ran inside whichever commit crossed
/// 1000 pages, on the update path); its commit hook tells this checkpointer how large the WAL is. A PASSIVE
/// checkpoint runs when the store has been idle for `idle` or the WAL has grown past `walLimit`. PASSIVE never
/// waits for the writer or a reader, so it never stalls an update. When the WAL file has grown past `walLimit`
/// anyway (a burst), it is truncated once the store is idle; a TRUNCATE may briefly hold the write lock, which
/// is why it runs only then and with a short busy timeout.
public final class WALCheckpointer: @unchecked Sendable {
    /// When to checkpoint.
    public struct Policy: Sendable {
        /// A checkpoint runs once no commit has happened for this long.
        public var idle: Duration
        /// A checkpoint runs as soon as the WAL holds more than this many bytes.
        public var walLimit: Int

        public init(idle: Duration = .seconds(1), walLimit: Int = 4 << 20) {
            self.idle = idle
            self.walLimit = walLimit
        }
    }

    /// What the checkpointer has done so far (for tests and metrics).
    public struct Stats: Sendable, Equatable {
        public var checkpoints = 0
        public var truncations = 0
        public var failures = 0
    }

    /// What the loop should do next.
    enum Action: Equatable {
        case wait(Duration)
        case passive
        case truncate
    }

    private let path: String
    private let policy: Policy
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var commits = 0
    private var checkpointedCommits = 0
    private var walBytes = 0
    private var lastCommit = ContinuousClock.now
    private var fileNeedsTruncate = false
    private var wanted = 0
    private var handled = 0
    private var stopped = false
    private var notBefore = ContinuousClock.now
    private var stats = Stats()

    /// Starts the thread; the connection opens with the first checkpoint.
    public init(path: String, policy: Policy = Policy()) {
        self.path = path
        self.policy = policy
        let thread = Thread { [self] in runLoop() }
        thread.name = "sqlite-checkpoint"
        thread.stackSize = 256 << 10
        thread.start()
    }

    /// Called from the store's commit hook: the WAL now holds `bytes`.
    func noteCommit(walBytes bytes: Int) {
        condition.lock()
        commits += 1
        walBytes = bytes
        lastCommit = .now
        if bytes > policy.walLimit {
            fileNeedsTruncate = true
            wanted += 1
            condition.signal()
        }
        condition.unlock()
    }

    /// Asks for a checkpoint now, as after a size crossing.
    public func requestCheckpoint() {
        condition.lock()
        wanted += 1
        condition.signal()
        condition.unlock()
    }

    /// Blocks until every checkpoint asked for so far has run (for tests and shutdown).
    public func waitUntilCaughtUp() {
        condition.lock()
        let target = wanted
        while handled < target, !stopped { condition.wait() }
        condition.unlock()
    }

    /// What has been done so far.
    public var currentStats: Stats {
        condition.lock()
        defer { condition.unlock() }
        return stats
    }

    /// Ends the thread; its connection closes (without a checkpoint of its own: the store's last close does that).
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The decision, apart from the thread so that tests can drive it with any instant.
    static func nextAction(now: ContinuousClock.Instant, lastCommit: ContinuousClock.Instant, dirty: Bool, asked: Bool,
                           fileNeedsTruncate: Bool, policy: Policy) -> Action {
        if asked { return .passive }
        let quiet = lastCommit.duration(to: now)
        guard quiet >= policy.idle else { return .wait(policy.idle - quiet) }
        if fileNeedsTruncate { return .truncate }
        if dirty { return .passive }
        return .wait(policy.idle)
    }

    private func runLoop() {
        var connection: SQLiteDatabase?
        condition.lock()
        while !stopped {
            let asked = handled < wanted
            let target = wanted
            let seen = commits
            let now = ContinuousClock.now
            // After a checkpoint that could not finish, the next try waits a round instead of spinning.
            if !asked, now < notBefore {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(now.duration(to: notBefore).inSeconds, 0.001)))
                continue
            }
            let action = Self.nextAction(now: now, lastCommit: lastCommit, dirty: commits != checkpointedCommits,
                                         asked: asked, fileNeedsTruncate: fileNeedsTruncate, policy: policy)
            if case .wait(let duration) = action {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(duration.inSeconds, 0.001)))
                continue
            }
            condition.unlock()
            let outcome = checkpoint(truncate: action == .truncate, on: &connection)
            condition.lock()
            switch outcome {
            case .complete:
                stats.checkpoints += 1
                checkpointedCommits = seen
                if action == .truncate { stats.truncations += 1; fileNeedsTruncate = false }
            case .partial:
                // A reader still uses older frames: the next idle round tries again, and the next commit past the limit.
                stats.checkpoints += 1
                notBefore = .now + policy.idle
            case .failed:
                stats.failures += 1
                notBefore = .now + policy.idle
            }
            handled = max(handled, target)
            condition.broadcast()
        }
        condition.unlock()
        connection = nil
    }

    private enum Outcome { case complete, partial, failed }

    private func checkpoint(truncate: Bool, on connection: inout SQLiteDatabase?) -> Outcome {
        do {
            if connection == nil {
                let opened = try SQLiteDatabase(path: path)
                // Only TRUNCATE waits (for the writer); never long enough to be felt by an update.
                opened.setBusyTimeout(milliseconds: 20)
                connection = opened
            }
            guard let connection else { return .failed }
            let result = try connection.checkpoint(truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE)
            return result.checkpointed >= result.log ? .complete : .partial
        } catch {
            // SQLITE_BUSY from a TRUNCATE that met a writer: the next idle round tries again.
            return .failed
        }
    }
}
