@testable import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Warnings to admins when much is wrong at once or an error text carries a secret: one message per kind of problem,
/// never the bot's token or an OpenAlgo key.
@Suite struct OperationalWarningHostileTests {
    static let admins = OperationalWarningTests.admins

    func warnings(_ rig: AdminJobRig) async throws -> [String] { try await OperationalWarningTests().warnings(rig) }

    @Test func manyOpenBrokersMakeOneWarningAnHour() async throws {
        let rig = try await AdminJobRig.make(admins: Self.admins, deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        let hosts = (1...40).map { "10.0.0.\($0):5000" }
        for host in hosts { await rig.breaker.record(host, failed: true) }
        await rig.pass(after: 6 * 60)
        let sent = try await warnings(rig)
        #expect(sent.count == 1)
        #expect(sent.first?.hasPrefix("Warning: 40 brokers have been unreachable for over 5 min (breaker open): 10.0.0.10:5000 (6 min)") == true)
        #expect(sent.first?.contains(", and 35 more.") == true)
        // Each admin got one message, not forty.
        #expect(try await rig.queuedTexts(for: Self.admins[1]).count == 1)
        for _ in 0..<10 { await rig.pass(after: 60) }
        #expect(try await warnings(rig).count == 1)
        await rig.close()
    }

    @Test func aFailingJobsErrorReachesAdminsWithoutKeysOrTokens() async throws {
        let rig = try await AdminJobRig.make(admins: Self.admins, deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        let key = String(repeating: "ab12", count: 16)
        let token = rig.services.config.telegram.token
        let otherToken = "7654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        try await rig.store.scheduleJob(BroadcastJob.self, key: "5", parameters: .init(broadcast: 5, adminID: 1, chatID: 1, messageID: 1),
                                        schedule: .every(seconds: 60), now: rig.clock.now)
        for _ in 0..<3 {
            let job = try #require(try await rig.store.job(BroadcastJob.self, key: "5"))
            // Far in the future, so the job itself does not run and overwrite the error.
            _ = try await rig.store.recordJobFailure(job, error: "server said: bad apikey \(key) for \(token) via /bot\(otherToken)/x",
                                                     retryAt: rig.clock.now.addingTimeInterval(86_400))
        }
        await rig.pass(after: 60)
        let text = try #require(try await warnings(rig).first)
        #expect(text.hasPrefix("Warning: job broadcast (5) failed 3 times in a row, last: server said: bad apikey [api key] for [bot token]"))
        #expect(!text.contains(key))
        #expect(!text.contains(token))
        #expect(!text.contains(otherToken))
        await rig.close()
    }

    @Test func manyFailingJobsMakeOneWarning() async throws {
        let rig = try await AdminJobRig.make(admins: Self.admins, deliver: false)
        try await OperationalWarningJob.ensureScheduled(in: rig.store, now: rig.clock.now)
        for id in 1...12 {
            try await rig.store.scheduleJob(BroadcastJob.self, key: "\(id)", parameters: .init(broadcast: Int64(id), adminID: 1, chatID: 1, messageID: 1),
                                            schedule: .every(seconds: 60), now: rig.clock.now)
            let job = try #require(try await rig.store.job(BroadcastJob.self, key: "\(id)"))
            for _ in 0..<3 { _ = try await rig.store.recordJobFailure(job, error: "gone", retryAt: rig.clock.now.addingTimeInterval(86_400)) }
        }
        await rig.pass(after: 60)
        let sent = try await warnings(rig)
        #expect(sent.count == 1)
        #expect(sent.first?.hasPrefix("Warning: 12 jobs are failing repeatedly: broadcast (") == true)
        #expect(sent.first?.contains(", and 7 more.") == true)
        await rig.close()
    }
}
