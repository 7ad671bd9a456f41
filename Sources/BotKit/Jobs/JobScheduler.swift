import Foundation
import Logging
import Synchronization

/// Runs the app's due jobs off the update path, a few at a time, each bounded by a time limit.
///
/// A run's outcome (its messages, its store work, the job's next time and parameters) commits in one transaction:
/// a crash before the commit leaves the job due with nothing queued, so it runs again and nothing is sent twice.
/// After downtime a job runs once, however many of its times passed; a throwing run backs off and is counted.
public actor JobScheduler<Services: Sendable> {
    let store: BotStore
    let registry: JobRegistry<Services>
    let services: Services
    let windows: [String: @Sendable (Date) -> Bool]
    let settings: JobSettings
    let logger: Logger
    /// The wall clock jobs are due by (injected in tests).
    let now: @Sendable () -> Date
    /// Hands committed messages to the sender.
    let deliver: @Sendable ([OutboxItem]) async -> Void
    private var running: [Int64: Task<Void, Never>] = [:]
    /// Jobs whose failure could not even be recorded (a failing disk): left alone in memory until then.
    private var held: [Int64: Date] = [:]
    private let stopping = Mutex(false)
    /// Where runs and failures are counted, by kind.
    private let metrics: BotMetrics?

    /// A scheduler of `registry`'s kinds over `store`; `windows` are the app's named predicates for `.within`.
    public init(store: BotStore, registry: JobRegistry<Services>, services: Services,
                windows: [String: @Sendable (Date) -> Bool] = [:], settings: JobSettings = JobSettings(),
                logger: Logger = Logger(label: "pollbot.jobs"), now: @escaping @Sendable () -> Date = { Date() },
                deliver: @escaping @Sendable ([OutboxItem]) async -> Void = { _ in }, metrics: BotMetrics? = nil) {
        self.metrics = metrics
        self.store = store
        self.registry = registry
        self.services = services
        self.windows = windows
        self.settings = settings
        self.logger = logger
        self.now = now
        self.deliver = deliver
    }

    /// Runs every job due now, `settings.concurrency` at a time, and waits for them; returns how many it started.
    /// Each job runs at most once per call. The service's loop does the same continuously; tests call this.
    @discardableResult
    public func runDue() async -> Int {
        var started = Set<Int64>()
        while true {
            let batch = await pick(limit: settings.concurrency, excluding: started.union(held.keys), at: now())
            guard !batch.isEmpty else { return started.count }
            started.formUnion(batch.map(\.id))
            await withDiscardingTaskGroup { group in
                for job in batch { group.addTask { await self.execute(job) } }
            }
        }
    }

    /// Runs due jobs as they come due until `requestStop`; then lets running ones finish for `settings.drain` and
    /// cancels the rest (a cancelled run commits nothing, so it runs again after the restart).
    func run() async {
        while !isStopping, !Task.isCancelled {
            let time = now()
            held = held.filter { $0.value > time }
            let free = settings.concurrency - running.count
            if free > 0 {
                for job in await pick(limit: free, excluding: Set(running.keys).union(held.keys), at: time) { start(job) }
            }
            await store.jobWake.pause(await pauseLength(at: time))
        }
        logger.notice("shutdown: stopping jobs", metadata: ["running": "\(running.count)"])
        let deadline = ContinuousClock.now + settings.drain
        while !running.isEmpty, ContinuousClock.now < deadline {
            await store.jobWake.pause(ContinuousClock.now.duration(to: deadline))
        }
        let left = Array(running.values)
        for task in left { task.cancel() }
        for task in left { await task.value }
    }

    /// Stops taking new jobs; `run` then drains and returns.
    nonisolated func requestStop() {
        stopping.withLock { $0 = true }
        store.jobWake.signal()
    }

    private nonisolated var isStopping: Bool { stopping.withLock { $0 } }

    private func start(_ job: JobRecord) {
        running[job.id] = Task {
            await self.execute(job)
            self.finished(job.id)
        }
    }

    private func finished(_ id: Int64) {
        running[id] = nil
        store.jobWake.signal()
    }

    private func hold(_ id: Int64, until time: Date) { held[id] = time }

    /// Up to `limit` due jobs of known kinds; a due job of a kind this build lacks is looked at again in an hour.
    private func pick(limit: Int, excluding: Set<Int64>, at time: Date) async -> [JobRecord] {
        do {
            var due: [JobRecord] = []
            for job in try await store.upcomingJobs(limit: limit + excluding.count) where !excluding.contains(job.id) {
                guard job.nextRunAt <= time, due.count < limit else { break }
                guard registry.entries[job.kind] != nil else {
                    logger.warning("job of an unknown kind left alone", metadata: ["kind": "\(job.kind)", "key": "\(job.key)"])
                    try await store.postponeJob(job, to: time.addingTimeInterval(3600), note: "no kind \(job.kind) in this build")
                    continue
                }
                due.append(job)
            }
            return due
        } catch {
            logger.warning("due jobs not read", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// How long to wait for the next due job that is not running: at most `settings.idleCheck`.
    private func pauseLength(at time: Date) async -> Duration {
        guard running.count < settings.concurrency,
              let rows = try? await store.upcomingJobs(limit: settings.concurrency + held.count + 1),
              let next = rows.first(where: { running[$0.id] == nil && held[$0.id] == nil }) else { return settings.idleCheck }
        // Clamped before it becomes a Duration: a far-off (or absurd) time must not trap the conversion.
        let seconds = min(max(0, next.nextRunAt.timeIntervalSince(time)), settings.idleCheck.inSeconds)
        return .milliseconds(Int64(seconds * 1000) + 1)
    }

    /// One run of `job`: its window, its body within the time limit, then one commit of everything it produced.
    private nonisolated func execute(_ job: JobRecord) async {
        let started = now()
        let metadata: Logger.Metadata = ["job": "\(job.kind)", "key": "\(job.key)"]
        do {
            guard let entry = registry.entries[job.kind] else { return }
            if let window = job.schedule.window {
                guard let isOpen = windows[window] else { throw JobFailure("no window named \(window) is registered") }
                guard isOpen(started) else {
                    try await store.postponeJob(job, to: job.schedule.next(after: started) ?? started.addingTimeInterval(settings.windowRetry))
                    return
                }
            }
            let context = JobContext(services: services, store: store, logger: logger, key: job.key, scheduledFor: job.nextRunAt,
                                     now: started, failures: job.failures, lateAfter: settings.lateAfter)
            if context.isLate {
                logger.notice("job runs late", metadata: metadata.merging(["late_s": "\(Int(context.lateness))"]) { $1 })
            }
            let outcome = try await JobDeadline.run(limit: settings.timeout) { try await entry.run(job.parameters, context) }
            let next = outcome.finished ? nil : job.schedule.next(after: started)
            let queued = try await store.commitJobRun(job, ranAt: started, next: next, parameters: outcome.parameters,
                                                      messages: outcome.messages, storeWork: outcome.storeWork)
            metrics?.count("pollbot_jobs_run_total", [("kind", job.kind)])
            if !queued.isEmpty { await deliver(queued) }
        } catch is CancellationError where isStopping {
            logger.notice("job cancelled at shutdown; it runs again after the restart", metadata: metadata)
        } catch {
            await recordFailure(job, error, at: started, metadata: metadata)
        }
    }

    private nonisolated func recordFailure(_ job: JobRecord, _ error: any Error, at time: Date, metadata: Logger.Metadata) async {
        metrics?.count("pollbot_jobs_failed_total", [("kind", job.kind)])
        let retryAt = time.addingTimeInterval(settings.retryDelay(failures: job.failures + 1))
        var details = metadata
        details["error"] = "\(error)"
        do {
            let failures = try await store.recordJobFailure(job, error: "\(error)", retryAt: retryAt)
            details["failures"] = "\(failures)"
            if failures == 0 {
                logger.notice("job run dropped", metadata: details)
            } else if failures % max(settings.loudAfter, 1) == 0 {
                logger.error("job failing repeatedly", metadata: details)
            } else {
                logger.warning("job failed; retried later", metadata: details)
            }
        } catch {
            // The row could not be touched: it stays due, so it is left alone in memory rather than retried at once.
            details["store_error"] = "\(error)"
            logger.error("job failed and its failure was not recorded", metadata: details)
            await hold(job.id, until: retryAt)
        }
    }
}
