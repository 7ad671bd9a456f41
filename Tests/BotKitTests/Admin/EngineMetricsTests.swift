@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The engine's hooks, each on its own: what they count and under which labels.
@Suite struct EngineMetricsTests {
    @Test func everyDeliveryOutcomeHasItsReason() async throws {
        let metrics = BotMetrics()
        let outcomes: [DeliveryOutcome] = [.delivered, .delivered, .waitAndRetry(seconds: 3), .chatGone, .retryWithBackoff,
                                           .resendAsPlainText, .migrate(to: -100), .drop]
        for outcome in outcomes { metrics.countReply(outcome) }
        let samples = try #require(await PrometheusText.samples(of: metrics))
        #expect(samples["pollbot_replies_sent_total"] == 2)
        for reason in ["429", "403", "5xx_or_network", "parse_fallback", "migrated", "rejected"] {
            #expect(samples["pollbot_replies_failed_total{reason=\"\(reason)\"}"] == 1, "\(reason)")
        }
    }

    @Test func receivedUpdatesAreCountedByKindAndTheUnreadableApart() async throws {
        let metrics = BotMetrics()
        let json = """
        [{"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"}},
         {"update_id": 2, "callback_query": {"id": "q", "from": {"id": 5, "first_name": "U", "is_bot": false}, "data": "x"}},
         {"update_id": 3, "message": {"message_id": "not a number", "date": 0, "chat": {"id": 5, "type": "private"}}},
         {"update_id": 4, "poll": {"id": "p"}}]
        """
        metrics.countReceived(try JSONDecoder().decode([UpdateSlot].self, from: Data(json.utf8)))
        let samples = try #require(await PrometheusText.samples(of: metrics))
        #expect(samples["pollbot_updates_received_total{kind=\"message\"}"] == 1)
        #expect(samples["pollbot_updates_received_total{kind=\"callback_query\"}"] == 1)
        #expect(samples["pollbot_updates_received_total{kind=\"undecodable\"}"] == 1)
        #expect(samples["pollbot_updates_received_total{kind=\"other\"}"] == 1)
    }

    @Test func theMetricsStepLabelsByRegisteredCommandNeverByWhatWasTyped() async throws {
        let metrics = BotMetrics()
        let step = MetricsStep(metrics)
        let typed = DispatchTests().inbox(1, chat: 5, text: "/deadbeef_secret_123 x").update.message!
        let parsed = CommandParser.parse(typed, botUsername: "PollTestBot")
        var unknown = RouterResponse(outcome: .usage)
        await step.after(UpdateRequest(kind: .message(typed, parsed), receivedAt: Date(), command: nil), &unknown)
        var limited = RouterResponse(outcome: .rateLimited)
        let plain = DispatchTests().inbox(2, chat: 5, text: "hello").update.message!
        await step.after(UpdateRequest(kind: .message(plain, nil), receivedAt: Date(), command: nil), &limited)
        var failed = RouterResponse(outcome: .error)
        await step.after(UpdateRequest(kind: .message(typed, parsed), receivedAt: Date(), command: nil), &failed)
        let text = await metrics.exposition()
        #expect(!text.contains("deadbeef"))
        let samples = try #require(PrometheusText.samples(text))
        #expect(samples["pollbot_commands_total{command=\"unknown\",outcome=\"usage\"}"] == 1)
        #expect(samples["pollbot_commands_total{command=\"text\",outcome=\"rate-limited\"}"] == 1)
        #expect(samples["pollbot_rate_limit_refusals_total"] == 1)
        #expect(samples["pollbot_updates_handled_total{kind=\"command\"}"] == 1)
        #expect(samples["pollbot_updates_handled_total{kind=\"text\"}"] == 1)
        #expect(samples["pollbot_updates_failed_total{kind=\"command\"}"] == 1)
        #expect(samples["pollbot_command_duration_seconds_count{command=\"unknown\"}"] == 2)
    }

    @Test func anUpdateGivenUpIsAFailure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let metrics = BotMetrics()
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let sender = Sender(client: TelegramClient(apiURL: "http://127.0.0.1:9", token: "1:unused"), store: store, floodLimits: false)
        let dispatcher = Dispatcher(handler: { _ in
            try? await Task.sleep(for: .seconds(30))
            return HandlerResult(replies: [])
        }, store: store, sender: sender, handlerTimeout: .milliseconds(50), metrics: metrics)
        let item = DispatchTests().inbox(1, chat: 7, text: "/slow")
        _ = try await store.record(try JSONDecoder().decode([UpdateSlot].self, from: JSONEncoder().encode([item.update])))
        await dispatcher.submit([item])
        let deadline = ContinuousClock.now + .seconds(5)
        while try #require(await PrometheusText.samples(of: metrics))["pollbot_updates_failed_total{kind=\"given_up\"}"] == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try #require(await PrometheusText.samples(of: metrics))["pollbot_updates_failed_total{kind=\"given_up\"}"] == 1)
        _ = await dispatcher.drain(timeout: .seconds(1))
    }
}

/// The job scheduler's hook: runs and failures by kind.
@Suite struct JobMetricsTests {
    @Test func runsAndFailuresAreCountedByKind() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try JobRig(directory: directory)
        let metrics = BotMetrics()
        let clock = rig.clock
        let scheduler = JobScheduler(store: rig.store, registry: JobRegistry(JobRig.kinds), services: NoServices(),
                                     logger: rig.logs.logger("jobs"), now: { clock.now }, metrics: metrics)
        try await rig.schedule(CountingJob.self, key: "a", parameters: .init(), schedule: .once(at: clock.now))
        try await rig.schedule(CountingJob.self, key: "b", parameters: .init(), schedule: .once(at: clock.now))
        try await rig.schedule(FailingJob.self, key: "c", parameters: .init(), schedule: .once(at: clock.now))
        #expect(await scheduler.runDue() == 3)
        let samples = try #require(await PrometheusText.samples(of: metrics))
        #expect(samples["pollbot_jobs_run_total{kind=\"counting\"}"] == 2)
        #expect(samples["pollbot_jobs_failed_total{kind=\"failing\"}"] == 1)
        #expect(samples["pollbot_jobs_run_total{kind=\"failing\"}"] == nil)
    }
}
