import Foundation

/// Durable jobs: one row per kind and key. A run's messages, its store work and the job's next time commit together.
extension BotStore {
    /// Schedules a job, or replaces the job of that kind and key (its parameters, schedule and failures), and wakes
    /// the scheduler. Throws `JobScheduleError` for a schedule that can never run as meant.
    public func scheduleJob<K: JobKind>(_ kind: K.Type, key: String, parameters: K.Parameters, schedule: JobSchedule,
                                        now: Date = Date()) throws {
        try schedule.validate()
        let json = try JobParameters.encode(parameters)
        try db.run("""
            INSERT INTO jobs(kind, key, parameters, schedule, next_run_at, created_at) VALUES(?, ?, ?, ?, ?, ?)
            ON CONFLICT(kind, key) DO UPDATE SET parameters = excluded.parameters, schedule = excluded.schedule,
                next_run_at = excluded.next_run_at, failures = 0, last_error = NULL, state = 'active', revision = revision + 1
            """, .text(K.name), .text(key), .text(json), .text(try JobParameters.encode(schedule)),
                   .real(schedule.firstRun(now: now).timeIntervalSince1970), .real(now.timeIntervalSince1970))
        jobWake.signal()
    }

    /// Schedules `kind`'s job `key` unless it is already active on `schedule`, as an app does at every start: a restart
    /// keeps the row, its parameters and its next time; a changed setting replaces the schedule.
    public func ensureJob<K: JobKind>(_ kind: K.Type, key: String, parameters: K.Parameters, schedule: JobSchedule,
                                      now: Date = Date()) throws {
        if let job = try job(kind, key: key), job.state == .active, job.schedule == schedule { return }
        try scheduleJob(kind, key: key, parameters: parameters, schedule: schedule, now: now)
    }

    /// Removes the job of that kind and key; a run of it in progress commits nothing. Returns whether there was one.
    @discardableResult
    public func cancelJob<K: JobKind>(_ kind: K.Type, key: String) throws -> Bool {
        try db.run("DELETE FROM jobs WHERE kind = ? AND key = ?", .text(K.name), .text(key)) > 0
    }

    /// The job of that kind and key, if scheduled.
    public func job<K: JobKind>(_ kind: K.Type, key: String) throws -> JobRecord? {
        try jobRows(kind: K.name, key: key).first
    }

    /// Every job, or those of kind `kind`, soonest first.
    public func jobs(kind: String? = nil) throws -> [JobRecord] {
        try jobRows(kind: kind)
    }

    /// Active jobs that failed at least `failures` times in a row (for warnings to admins).
    public func failingJobs(atLeast failures: Int) throws -> [JobRecord] {
        try jobRows(activeOnly: true, minFailures: max(failures, 0))
    }

    /// The soonest active jobs: due ones first; at most `limit`.
    func upcomingJobs(limit: Int) throws -> [JobRecord] {
        try jobRows(activeOnly: true, limit: limit)
    }

    /// Commits a run of `job`: its store work, its messages and the job's next time (nil: done) in one transaction.
    /// Throws, and changes nothing, when the job was cancelled or scheduled again meanwhile. Returns the queued rows.
    func commitJobRun(_ job: JobRecord, ranAt: Date, next: Date?, parameters: String?, messages: [OutgoingMessage],
                      storeWork: (@Sendable (isolated BotStore) throws -> Void)?) throws -> [OutboxItem] {
        try db.transaction {
            try storeWork?(self)
            let changed = try db.run("""
                UPDATE jobs SET parameters = coalesce(?, parameters), next_run_at = coalesce(?, next_run_at), last_run_at = ?,
                    failures = 0, last_error = NULL, state = ? WHERE id = ? AND revision = ?
                """, parameters.map(SQLValue.text) ?? .null, next.map { .real($0.timeIntervalSince1970) } ?? .null,
                       .real(ranAt.timeIntervalSince1970), .text(next == nil ? "done" : "active"), .integer(job.id),
                       .integer(job.revision))
            guard changed == 1 else { throw JobFailure("cancelled or scheduled again while it ran; its outcome is dropped") }
            return try insertOutbox(messages, updateID: nil, now: ranAt)
        }
    }

    /// Counts a failed run and moves the job to `retryAt`; returns the consecutive failures (0: the job is gone).
    func recordJobFailure(_ job: JobRecord, error: String, retryAt: Date) throws -> Int {
        try db.query("""
            UPDATE jobs SET failures = failures + 1, last_error = ?, next_run_at = ? WHERE id = ? AND revision = ? RETURNING failures
            """, .text(String(error.prefix(500))), .real(retryAt.timeIntervalSince1970), .integer(job.id),
                     .integer(job.revision)) { $0.int(0) }.first ?? 0
    }

    /// Moves a job to `time` without running it (its window is closed, or its kind is not in this build).
    func postponeJob(_ job: JobRecord, to time: Date, note: String? = nil) throws {
        try db.run("UPDATE jobs SET next_run_at = ?, last_error = coalesce(?, last_error) WHERE id = ? AND revision = ?",
                   .real(time.timeIntervalSince1970), note.map(SQLValue.text) ?? .null, .integer(job.id), .integer(job.revision))
    }

    /// Jobs matching every given filter, soonest first; one fixed statement, so it is prepared once.
    private func jobRows(kind: String? = nil, key: String? = nil, activeOnly: Bool = false, minFailures: Int = 0,
                         limit: Int = -1) throws -> [JobRecord] {
        let rows = try db.query("""
            SELECT id, kind, key, parameters, schedule, next_run_at, last_run_at, failures, last_error, state, revision FROM jobs
            WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR key = ?2) AND (?3 = 0 OR state = 'active') AND failures >= ?4
            ORDER BY next_run_at, id LIMIT ?5
            """, kind.map(SQLValue.text) ?? .null, key.map(SQLValue.text) ?? .null, .integer(activeOnly ? 1 : 0),
                                .integer(Int64(minFailures)), .integer(Int64(limit))) { row in
            (row.int64(0), row.text(1), row.text(2), row.text(3), row.text(4), row.double(5),
             row.isNull(6) ? nil : row.double(6), row.int(7), row.isNull(8) ? nil : row.text(8), row.text(9), row.int64(10))
        }
        return rows.compactMap { row in
            // A schedule this build cannot read (a newer build wrote it) leaves the row alone rather than failing the rest.
            guard let schedule = try? JSONDecoder().decode(JobSchedule.self, from: Data(row.4.utf8)) else { return nil }
            return JobRecord(id: row.0, kind: row.1, key: row.2, parameters: row.3, schedule: schedule,
                             nextRunAt: Date(timeIntervalSince1970: row.5), lastRunAt: row.6.map(Date.init(timeIntervalSince1970:)),
                             failures: row.7, lastError: row.8, state: JobRecord.State(rawValue: row.9) ?? .active, revision: row.10)
        }
    }
}
