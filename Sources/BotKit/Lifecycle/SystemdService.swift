import ServiceLifecycle

/// The bot as systemd sees it: READY=1 when the services start, WATCHDOG=1 while the poll loop turns,
/// STOPPING=1 when a graceful shutdown begins (this service is the first one stopped).
struct SystemdService: Service {
    let notifier: SystemdNotifier
    let poller: Poller
    /// A poll loop without a round for this long is wedged: the pings stop, so systemd restarts the bot.
    let stall: Duration

    func run() async throws {
        notifier.ready()
        if let interval = notifier.watchdogInterval {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                if await poller.lastRound.duration(to: .now) < stall { notifier.watchdog() }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } else {
            try? await gracefulShutdown()
        }
        // Cancelled instead (a fatal error elsewhere): the bot is not stopping in order, so it does not say so.
        if Task.isShuttingDownGracefully { notifier.stopping() }
    }
}
