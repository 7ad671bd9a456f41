import Logging
import ServiceLifecycle

/// Gives memory the bot no longer uses back to the kernel: the pages of code and constants that only start-up used
/// (`CleanPages`) and the heap's free pages, once the poller has caught up with Telegram's queue; then whenever the bot
/// has gone `quiet` after work (a burst leaves its code and heap resident, about 9 MB more at idle), and at the latest
/// every `interval` (scheduled jobs and alerts are work the update count does not see).
struct MemoryReleaseService: Service {
    /// True once start-up is over: the first getUpdates answered and the backlog drained.
    let startedUp: @Sendable () async -> Bool
    /// A count that grows with the bot's work (updates received).
    let activity: @Sendable () async -> Int
    /// At most this long between two releases.
    let interval: Duration
    /// Between two looks at `activity`: a release follows one whole `quiet` without work, if there was work since the
    /// last release.
    let quiet: Duration
    /// Between two looks at `startedUp`, and from start-up to the first release (the services' first rounds).
    let settle: Duration
    /// Injected by tests; `release()` otherwise: resident bytes before and after.
    var release: @Sendable () throws -> (before: Int, after: Int) = { try MemoryReleaseService.release() }
    /// Injected by tests; `Task.sleep` otherwise. Throws when the wait is cut short by cancellation.
    var pause: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    let logger: Logger

    func run() async throws {
        guard await waitUntilStartedUp() else { return }
        var seen = await activity(), atRelease = seen, sinceRelease = Duration.zero
        while true {
            do {
                let (before, after) = try release()
                logger.info("released resident pages of code and free heap", metadata: [
                    "before_mb": "\(Self.megabytes(before))", "after_mb": "\(Self.megabytes(after))",
                ])
            } catch {
                // Only memory is at stake: say so once, and stop trying.
                logger.notice("resident pages of code are not released", metadata: ["reason": "\(error)"])
                return
            }
            atRelease = seen
            sinceRelease = .zero
            // Until the bot went quiet after some work, or the interval is up.
            while true {
                guard await wait(quiet) else { return }
                sinceRelease += quiet
                let now = await activity()
                defer { seen = now }
                if now == seen, now != atRelease { break }
                if sinceRelease >= interval { break }
            }
        }
    }

    /// Both releases; the resident bytes before and after them.
    static func release() throws -> (before: Int, after: Int) {
        let (before, _) = try CleanPages.release()
        Heap.trim()
        return (before, CleanPages.residentBytes())
    }

    /// Waits in `settle` steps until start-up is over, then `settle` more; false when the bot stops first.
    private func waitUntilStartedUp() async -> Bool {
        while await !startedUp() {
            guard await wait(settle) else { return false }
        }
        return await wait(settle)
    }

    /// Sleeps `duration`; false when a graceful shutdown or cancellation cuts it short.
    private func wait(_ duration: Duration) async -> Bool {
        guard !Task.isShuttingDownGracefully else { return false }
        return (try? await cancelWhenGracefulShutdown { [pause] in try await pause(duration) }) != nil
    }

    /// Megabytes with one decimal, in integer arithmetic: no formatting code to map back in after the release.
    static func megabytes(_ bytes: Int) -> String {
        // Kilobytes first: bytes * 10 would overflow, and trap, above Int.max / 10.
        let tenths = (max(0, bytes) / 1024 * 10 + 512) / 1024
        return "\(tenths / 10).\(tenths % 10)"
    }
}
