import ServiceLifecycle

/// The bot as systemd sees it: READY=1 when the services start, WATCHDOG=1 while the bot is ready,
/// STOPPING=1 when a graceful shutdown begins (this service is the first one stopped).
struct SystemdService: Service {
    let notifier: SystemdNotifier
    /// The same test as `/readyz`: a stalled poll loop, an unwritable database, a stuck outbox or a wedged app
    /// worker stops the pings, so systemd restarts the bot.
    let readiness: Readiness

    func run() async throws {
        notifier.ready()
        if let interval = notifier.watchdogInterval {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                if await readiness.evaluate().ready { notifier.watchdog() }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } else {
            try? await gracefulShutdown()
        }
        // Cancelled instead (a fatal error elsewhere): the bot is not stopping in order, so it does not say so.
        if Task.isShuttingDownGracefully { notifier.stopping() }
    }
}
