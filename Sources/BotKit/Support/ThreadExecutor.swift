import Foundation

/// A serial executor backed by one dedicated thread, for actors that make blocking C calls, and a task executor for
/// work that must stay off the concurrency pool (the admin listener).
///
/// The Swift concurrency pool has one thread per core (two here): a blocking
/// sqlite3_step or curl call on it stalls every task. Actors that own such a
/// resource run on a thread of their own instead.
public final class ThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// Starts the thread; it lives as long as the process.
    public init(name: String) {
        let thread = Thread { [unowned self] in self.runLoop() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    private func runLoop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor()) }
        }
    }
}
