import Logging
import ServiceLifecycle

/// Prunes the inbox and the command log at start, then every `interval` until the graceful shutdown; a rotated-out
/// master key (`key_file.old`) is deleted once pruning leaves no row sealed with it.
struct HousekeepingService: Service {
    let store: BotStore
    let keyFile: String
    /// Days of command log kept.
    let logDays: Int
    let interval: Duration
    let logger: Logger

    func run() async throws {
        repeat {
            await pruneOnce()
        } while (try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }) != nil
    }

    private func pruneOnce() async {
        do {
            try await store.pruneInbox(olderThan: 2 * 86_400)
            try await store.pruneCommandLog(olderThanDays: logDays)
        } catch {
            logger.warning("pruning old rows failed", metadata: ["error": "\(error)"])
        }
        do {
            if try await KeyRing.retireUnusedOldKey(store: store, keyFile: keyFile) {
                logger.notice("the previous master key \(keyFile).old sealed no stored row any more and was deleted")
            }
        } catch {
            logger.warning("the previous master key could not be retired", metadata: ["error": "\(error)"])
        }
    }
}
