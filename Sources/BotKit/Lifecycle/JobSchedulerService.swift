import ServiceLifecycle

/// Runs the job scheduler in the bot's service group; a graceful shutdown stops new jobs and drains running ones.
struct JobSchedulerService<Services: Sendable>: Service {
    let scheduler: JobScheduler<Services>

    func run() async throws {
        await withGracefulShutdownHandler {
            await scheduler.run()
        } onGracefulShutdown: {
            scheduler.requestStop()
        }
    }
}
