import Logging
import ServiceLifecycle

/// Delivery as a service: the outbox is sent all along; at the graceful shutdown it gets `flushTimeout` to empty.
struct SenderService: Service {
    let sender: Sender
    let flushTimeout: Duration
    let logger: Logger

    func run() async throws {
        try await gracefulShutdown()
        logger.debug("shutdown: sending what is left in the outbox", metadata: ["limit_s": "\(flushTimeout.components.seconds)"])
        if await !sender.flush(timeout: flushTimeout) {
            let backlog = await sender.backlog
            logger.warning("\(backlog) messages still queued; they are sent at next start")
        }
    }
}
