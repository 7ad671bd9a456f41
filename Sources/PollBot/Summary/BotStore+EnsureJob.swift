import BotKit
import Foundation

extension BotStore {
    /// Schedules `kind`'s job `key` unless it is already active on `schedule`: a restart keeps its row and next time,
    /// a changed setting replaces the schedule.
    func ensureJob<K: JobKind>(_ kind: K.Type, key: String, parameters: K.Parameters, schedule: JobSchedule, now: Date) throws {
        if let job = try job(kind, key: key), job.state == .active, job.schedule == schedule { return }
        try scheduleJob(kind, key: key, parameters: parameters, schedule: schedule, now: now)
    }
}
