@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The scheduler on a real SQLite file with a manual clock: when jobs run, what a run commits, and what survives.
@Suite struct JobSchedulerTests {
    @Test func aOneOffRunsOnceAtItsTime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try JobRig(directory: directory)
        try await rig.schedule(CountingJob.self, key: "one", parameters: .init(), schedule: .once(at: rig.clock.now + 60))
        #expect(await rig.scheduler.runDue() == 0, "not before its time")
        rig.clock.advance(by: 61)
        #expect(await rig.scheduler.runDue() == 1)
        #expect(await rig.scheduler.runDue() == 0)
        rig.clock.advance(by: 86_400)
        #expect(await rig.scheduler.runDue() == 0)
        #expect(try await rig.queued() == ["run 1"])
        #expect(try await rig.store.job(CountingJob.self, key: "one")?.state == .done)
    }

    @Test func everyNRunsReschedulesAndKeepsItsParametersAcrossARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var rig = try JobRig(directory: directory)
        try await rig.schedule(CountingJob.self, key: "tick", parameters: .init(), schedule: .every(seconds: 10))
        #expect(await rig.scheduler.runDue() == 1, "an interval job runs at once")
        rig.clock.advance(by: 5)
        #expect(await rig.scheduler.runDue() == 0)
        rig.clock.advance(by: 5)
        #expect(await rig.scheduler.runDue() == 1)
        #expect(try await rig.store.job(CountingJob.self, key: "tick")?.nextRunAt == rig.clock.now + 10)
        try rig.restart()
        // Down for 1,000 s, a hundred missed ticks: one run, then the interval from now.
        rig.clock.advance(by: 1000)
        #expect(await rig.scheduler.runDue() == 1)
        let job = try #require(try await rig.store.job(CountingJob.self, key: "tick"))
        #expect(job.nextRunAt == rig.clock.now + 10)
        #expect(job.lastRunAt == rig.clock.now)
        #expect(job.parameters == #"{"runs":3}"#)
        #expect(try await rig.queued() == ["run 1", "run 2", "run 3 late by 990 s"])
    }

    @Test func afterThreeDaysDownADailyJobRunsOnceSaysItIsLateAndResumesItsTime() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var rig = try JobRig(directory: directory, start: JobScheduleTests.utc("2026-01-05T09:00:00Z"))
        let daily = JobSchedule.daily(hour: 15, minute: 45, timeZone: "Asia/Kolkata")
        try await rig.schedule(CountingJob.self, key: "summary", parameters: .init(), schedule: daily)
        #expect(try await rig.store.job(CountingJob.self, key: "summary")?.nextRunAt == JobScheduleTests.utc("2026-01-05T10:15:00Z"))
        rig.clock.advance(by: 75 * 60)
        #expect(await rig.scheduler.runDue() == 1)
        // Down from just after that run until three days and two hours later.
        try rig.restart()
        rig.clock.advance(by: 3 * 86_400 + 2 * 3600)
        #expect(await rig.scheduler.runDue() == 1)
        #expect(await rig.scheduler.runDue() == 0, "once, not once per missed day")
        // Late since the first missed slot, 6 January 10:15 UTC, by two days and two hours.
        #expect(try await rig.queued() == ["run 1", "run 2 late by \(2 * 86_400 + 2 * 3600) s"])
        #expect(try await rig.store.job(CountingJob.self, key: "summary")?.nextRunAt == JobScheduleTests.utc("2026-01-09T10:15:00Z"))
    }

    @Test func aClosedWindowSkipsRunsUntilItOpens() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let window = WindowSwitch()
        let rig = try JobRig(directory: directory, windows: ["market": { _ in window.isOpen }])
        try await rig.schedule(CountingJob.self, key: "watch", parameters: .init(),
                                        schedule: .within(window: "market", .every(seconds: 15)))
        _ = await rig.scheduler.runDue()
        rig.clock.advance(by: 15)
        _ = await rig.scheduler.runDue()
        let skipped = try #require(try await rig.store.job(CountingJob.self, key: "watch"))
        #expect(skipped.lastRunAt == nil && skipped.failures == 0)
        #expect(skipped.nextRunAt == rig.clock.now + 15, "a closed window moves the job to its next time")
        #expect(try await rig.queued().isEmpty)
        window.isOpen = true
        rig.clock.advance(by: 15)
        #expect(await rig.scheduler.runDue() == 1)
        #expect(try await rig.queued() == ["run 1"])
    }

    @Test func aWindowNobodyRegisteredIsAFailureNotASilentSkip() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try JobRig(directory: directory)
        try await rig.schedule(CountingJob.self, key: "w", parameters: .init(), schedule: .within(window: "nowhere", .every(seconds: 15)))
        _ = await rig.scheduler.runDue()
        let job = try #require(try await rig.store.job(CountingJob.self, key: "w"))
        #expect(job.failures == 1)
        #expect(job.lastError?.contains("no window named nowhere") == true)
    }

    @Test func aRefusedCommitQueuesNothingLeavesTheJobDueAndTheNextRunQueuesOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var rig = try JobRig(directory: directory)
        try await rig.schedule(CountingJob.self, key: "alert", parameters: .init(), schedule: .every(seconds: 60))
        let due = try #require(try await rig.store.job(CountingJob.self, key: "alert"))
        // Another connection makes the file refuse every change to the job, as a crash before the commit would.
        let other = try SQLiteDatabase(path: directory.file("jobs.sqlite3"))
        try other.execute("CREATE TRIGGER refuse BEFORE UPDATE ON jobs BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
        #expect(await rig.scheduler.runDue() == 1)
        #expect(try await rig.queued().isEmpty, "the run's message must not be queued without the job's commit")
        #expect(try await rig.store.job(CountingJob.self, key: "alert") == due, "the job is still due, untouched")
        #expect(rig.logs.text.contains("job failed and its failure was not recorded"))
        try other.execute("DROP TRIGGER refuse")
        try rig.restart()
        #expect(await rig.scheduler.runDue() == 1)
        #expect(await rig.scheduler.runDue() == 0)
        #expect(try await rig.queued() == ["run 1"])
    }

    @Test func storeWorkCommitsWithTheMessagesOrNeither() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try JobRig(directory: directory)
        try await rig.schedule(MarkingJob.self, key: "m", parameters: .init(refuse: true), schedule: .every(seconds: 60))
        _ = await rig.scheduler.runDue()
        #expect(try await rig.store.meta("marked") == nil, "the store work was rolled back")
        #expect(try await rig.queued().isEmpty)
        let failed = try #require(try await rig.store.job(MarkingJob.self, key: "m"))
        #expect(failed.failures == 1 && failed.lastError?.contains("disk full while marking") == true)
        try await rig.schedule(MarkingJob.self, key: "m", parameters: .init(refuse: false), schedule: .every(seconds: 60))
        #expect(await rig.scheduler.runDue() == 1)
        #expect(try await rig.store.meta("marked") == "yes")
        #expect(try await rig.queued() == ["marked"])
        #expect(try await rig.store.job(MarkingJob.self, key: "m")?.failures == 0)
    }

    @Test func aFailingJobBacksOffCountsItsFailuresAndIsLoudAfterFive() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try JobRig(directory: directory)
        try await rig.schedule(FailingJob.self, key: "f", parameters: .init(), schedule: .every(seconds: 5))
        var waits: [TimeInterval] = []
        for _ in 1...6 {
            #expect(await rig.scheduler.runDue() == 1)
            let job = try #require(try await rig.store.job(FailingJob.self, key: "f"))
            let wait = job.nextRunAt.timeIntervalSince(rig.clock.now)
            waits.append(wait)
            rig.clock.advance(by: wait - 1)
            #expect(await rig.scheduler.runDue() == 0, "retried before its backoff")
            rig.clock.advance(by: 1)
        }
        #expect(waits == [10, 20, 40, 80, 160, 320])
        let job = try #require(try await rig.store.job(FailingJob.self, key: "f"))
        #expect(job.failures == 6 && job.lastError == "broker unreachable")
        #expect(try await rig.store.failingJobs(atLeast: 5).map(\.key) == ["f"])
        #expect(rig.logs.text.components(separatedBy: "job failing repeatedly").count == 2, "loud once, at the fifth failure")
    }

    @Test func aJobScheduledAgainWhileItRunsCommitsNothingFromTheOldRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try JobRig(directory: directory)
        let gate = GatedJob.gate("replaced")
        try await rig.schedule(GatedJob.self, key: "s", parameters: .init(gate: "replaced"), schedule: .every(seconds: 60))
        let running = Task { await rig.scheduler.runDue() }
        await BotShutdownTests.waitUntil { gate.arrived == 1 }
        try #require(gate.arrived == 1)
        try await rig.schedule(GatedJob.self, key: "s", parameters: .init(gate: "replaced"), schedule: .every(seconds: 600))
        gate.open()
        _ = await running.value
        #expect(try await rig.queued().isEmpty, "the old revision's run commits nothing")
        #expect(rig.logs.text.contains("scheduled again while it ran"))
        // The new revision runs at its own time (at once, for an interval job), once.
        #expect(await rig.scheduler.runDue() == 1)
        #expect(try await rig.queued() == ["replaced done"])
        let job = try #require(try await rig.store.job(GatedJob.self, key: "s"))
        #expect(job.schedule == .every(seconds: 600) && job.revision == 2 && job.failures == 0)
    }

    @Test func aRunPastItsTimeLimitIsAbandonedAndCountedEvenIfItIgnoresCancellation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var settings = JobSettings()
        settings.timeout = .milliseconds(200)
        let rig = try JobRig(directory: directory, settings: settings)
        try await rig.schedule(GatedJob.self, key: "h", parameters: .init(gate: "never opened"), schedule: .every(seconds: 60))
        #expect(await rig.scheduler.runDue() == 1)
        let job = try #require(try await rig.store.job(GatedJob.self, key: "h"))
        #expect(job.failures == 1 && job.lastError?.contains("timed out") == true)
        #expect(try await rig.queued().isEmpty)
    }

    @Test func theRunningLoopWakesWhenAJobIsScheduledAndStopsOnRequest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Nothing is due for a minute of idle pause: only the wake can start the job in time.
        let rig = try JobRig(directory: directory)
        let loop = Task { await rig.scheduler.run() }
        try await Task.sleep(for: .milliseconds(50))  // let the loop reach its idle pause first
        try await rig.schedule(CountingJob.self, key: "woken", parameters: .init(), schedule: .every(seconds: 60))
        await BotShutdownTests.waitUntil { (try? await rig.queued()) == ["run 1"] }
        #expect(try await rig.queued() == ["run 1"])
        rig.scheduler.requestStop()
        await loop.value
        #expect(rig.logs.text.contains("shutdown: stopping jobs"))
    }
}
