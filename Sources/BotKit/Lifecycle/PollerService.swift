import ServiceLifecycle

/// The getUpdates loop as a service: a graceful shutdown cancels the open long poll (or a backoff sleep) at once.
struct PollerService: Service {
    let poller: Poller

    func run() async throws {
        try await cancelWhenGracefulShutdown { [poller] in try await poller.run() }
    }
}
