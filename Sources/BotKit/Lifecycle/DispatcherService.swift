import Logging
import ServiceLifecycle

/// Handlers as a service: updates run until the graceful shutdown, then the running handlers get `drainTimeout` to finish.
struct DispatcherService: Service {
    let dispatcher: Dispatcher
    let drainTimeout: Duration
    let logger: Logger

    func run() async throws {
        // Throws when the group is cancelled (a fatal error elsewhere): then nothing is drained, as before services.
        try await gracefulShutdown()
        logger.debug("shutdown: waiting for running handlers", metadata: ["limit_s": "\(drainTimeout.components.seconds)"])
        if await !dispatcher.drain(timeout: drainTimeout) {
            logger.warning("handlers still running after \(drainTimeout.components.seconds) s; their updates run again at next start")
        }
    }
}
