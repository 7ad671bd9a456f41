@testable import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Warnings to admins: each fires when its condition holds and not before, at most once an hour per key (remembered
/// across a restart), then again; nothing below the error rate's minimum sample, nothing without admins.
@Suite struct OperationalWarningTests {
    static let admins: [Int64] = [8001, 8002]

    /// The warnings queued for the first admin, oldest first.
    func warnings(_ rig: AdminJobRig) async throws -> [String] {
        try await rig.queuedTexts(for: Self.admins[0]).filter { $0.hasPrefix("Warning:") }
    }

    func logCommands(_ rig: AdminJobRig, total: Int, failed: Int) async throws {
        for index in 0..<total {
            try await rig.store.insertLog(CommandLogEntry(userID: 5, chatID: 5, command: "quote", arguments: "", startedAt: rig.clock.now,
                                                          latencyMilliseconds: 10, outcome: index < failed ? .error : .ok))
        }
    }

    @Test func anOpenBreakerWarnsAfterFiveMinutesOnceAnHourAcrossARestart() async throws {
        let rig = try await AdminJobRig.make(admins: Self.admins, deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        await rig.breaker.record("127.0.0.1:5000", failed: true)
        #expect(await rig.breaker.isOpen("127.0.0.1:5000"))
        await rig.pass(after: 4 * 60)
        #expect(try await warnings(rig).isEmpty)
        await rig.pass(after: 2 * 60)
        let first = try await warnings(rig)
        #expect(first == ["Warning: broker 127.0.0.1:5000 has been unreachable for 6 min (breaker open). "
                          + "Check OpenAlgo is running and reachable; see RUNBOOK.md."])
        // Every admin gets it, in their own chat.
        #expect(try await rig.queuedTexts(for: Self.admins[1]) == first)
        for _ in 0..<5 { await rig.pass(after: 60) }
        #expect(try await warnings(rig).count == 1)

        // A restart remembers what was sent; the breaker (in memory) is open again on the new process.
        let second = try await rig.restarted(admins: Self.admins)
        await second.breaker.record("127.0.0.1:5000", failed: true)
        _ = await second.flush()
        let delivered = await second.telegram.sent("sendMessage").count
        await second.pass(after: 20 * 60)
        #expect(await second.telegram.sent("sendMessage").count == delivered)
        // An hour after the first, it goes again.
        await second.pass(after: 35 * 60)
        _ = await second.flush()
        let again = await second.telegram.sent("sendMessage").filter { $0.chatID == Self.admins[0] }.compactMap(\.text)
        #expect(again.count == 2)
        #expect(again.last?.hasPrefix("Warning: broker 127.0.0.1:5000 has been unreachable for 55 min") == true)
        await second.close()
    }

    @Test func theErrorRateNeedsItsMinimumSampleAndMoreThanFivePercent() async throws {
        let rig = try await AdminJobRig.make(admins: Self.admins, deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        // 5 of 10 failed: too few to judge.
        try await logCommands(rig, total: 10, failed: 5)
        await rig.pass(after: 1)
        #expect(try await warnings(rig).isEmpty)
        // 5 of 100: exactly 5 %, not above.
        try await logCommands(rig, total: 90, failed: 0)
        await rig.pass(after: 60)
        #expect(try await warnings(rig).isEmpty)
        try await logCommands(rig, total: 10, failed: 2)
        await rig.pass(after: 60)
        #expect(try await warnings(rig) == ["Warning: 7 of 110 commands (6 %) failed in the last 15 min. "
                                            + "Look up their error ids in the log; see RUNBOOK.md."])
        // Older than 15 minutes no longer counts.
        await rig.pass(after: 3600)
        #expect(try await warnings(rig).count == 1)
        await rig.close()
    }

    @Test func anOutboxBacklogAndARepeatedlyFailingJobWarn() async throws {
        let rig = try await AdminJobRig.make(admins: Self.admins, deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        _ = try await rig.store.enqueue((1...100).map { OutgoingMessage.text("m\($0)", to: 42) })
        await rig.pass(after: 1)
        #expect(try await warnings(rig).isEmpty, "100 rows is no backlog yet")
        _ = try await rig.store.enqueue([.text("one more", to: 42)])
        await rig.pass(after: 60)
        let backlog = try await warnings(rig)
        #expect(backlog.count == 1)
        #expect(backlog.first?.hasPrefix("Warning: 101 messages are waiting in the outbox.") == true)

        // A broadcast whose row is gone fails every run; the third failure in a row warns.
        try await rig.store.scheduleJob(BroadcastJob.self, key: "999", parameters: .init(broadcast: 999, adminID: 1, chatID: 1, messageID: 1),
                                        schedule: .every(seconds: 60), now: rig.clock.now)
        var passes = 0
        while try await rig.store.failingJobs(atLeast: 3).isEmpty, passes < 20 {
            #expect(try await warnings(rig).count == 1, "no job warning before the third failure")
            await rig.pass(after: 120)
            passes += 1
        }
        await rig.pass(after: 60)
        let job = try await warnings(rig).filter { $0.contains("job broadcast") }
        #expect(job.count == 1)
        #expect(job.first?.hasPrefix("Warning: job broadcast (999) failed") == true)
        #expect(job.first?.contains("broadcast 999 is not in the database") == true)
        await rig.close()
    }

    @Test func withoutAdminsNothingIsSent() async throws {
        let rig = try await AdminJobRig.make(admins: [], deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        await rig.breaker.record("127.0.0.1:5000", failed: true)
        _ = try await rig.store.enqueue((1...150).map { OutgoingMessage.text("m\($0)", to: 42) })
        try await logCommands(rig, total: 40, failed: 40)
        await rig.pass(after: 3600)
        #expect(try await rig.store.outboxCount() == 150)
        #expect(try await rig.store.job(OperationalWarningJob.self, key: OperationalWarningJob.key)?.failures == 0)
        await rig.close()
    }
}
