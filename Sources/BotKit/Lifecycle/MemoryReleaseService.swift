import Logging
import ServiceLifecycle

/// Gives memory the bot no longer uses back to the kernel: the pages of code and constants that only start-up used
/// (`CleanPages`) and the heap's free pages, once the poller has caught up with Telegram's queue, then again every
/// `interval`, so neither the code of a command used once a day nor the heap of a past burst stays resident.
struct MemoryReleaseService: Service {
    /// True once start-up is over: the first getUpdates answered and the backlog drained.
    let startedUp: @Sendable () async -> Bool
    /// Between two releases.
    let interval: Duration
    /// Between two looks at `startedUp`, and from start-up to the first release (the services' first rounds).
    let settle: Duration
    /// Injected by tests; `release()` otherwise: resident bytes before and after.
    var release: @Sendable () throws -> (before: Int, after: Int) = { try MemoryReleaseService.release() }
    /// Injected by tests; `Task.sleep` otherwise. Throws when the wait is cut short by cancellation.
    var pause: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    let logger: Logger

    func run() async throws {
        guard await waitUntilStartedUp() else { return }
        repeat {
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
        } while await wait(interval)
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
