import Foundation

/// After the scheduler's clock jumps ahead (the demo's `/demo_time`): wake it at once, and wait for what became due.
extension BotStore {
    /// Ends the scheduler's pause now, so it looks for due jobs by its clock instead of after its planned wait.
    public nonisolated func wakeJobs() {
        jobWake.signal()
    }

    /// Wakes the scheduler and waits until no active job is due at `time` (each ran, failed and was moved on, or was
    /// postponed past it), looking every `interval`; gives up after `limit`. Returns whether it caught up.
    public nonisolated func catchUpJobs(dueBy time: Date, limit: Duration = .seconds(20),
                                        interval: Duration = .milliseconds(20)) async -> Bool {
        wakeJobs()
        let deadline = ContinuousClock.now + limit
        while true {
            if let next = try? await upcomingJobs(limit: 1), next.first.map({ $0.nextRunAt > time }) ?? true { return true }
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return false }
            try? await Task.sleep(for: interval)
        }
    }
}
