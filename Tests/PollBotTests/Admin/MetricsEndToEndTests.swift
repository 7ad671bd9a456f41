import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The real bot with its admin listener on a kernel-picked port: what /metrics says after real commands, over HTTP.
@Suite struct MetricsEndToEndTests {
    let alice = FakeUser(id: 1001, firstName: "Alice")

    static func start() async throws -> (BotHarness, UInt16) {
        let harness = try await BotHarness.start(extra: "[admin]\nlisten = \"127.0.0.1:0\"\n[broker]\nkind = \"paper\"\n")
        let deadline = ContinuousClock.now + .seconds(5)
        while (try? await harness.bot.adminPort()) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return (harness, try #require(try await harness.bot.adminPort()))
    }

    static func scrape(_ port: UInt16) async throws -> [String: Double] {
        let page = try await AdminScrape.get("/metrics", port: port)
        #expect(page.status == 200)
        return try #require(PrometheusText.samples(page.body), "not Prometheus text:\n\(page.body)")
    }

    @Test func aHandledCommandMovesItsCounterAndItsLatencyHistogramByOne() async throws {
        let (harness, port) = try await Self.start()
        let before = try await Self.scrape(port)
        #expect(PrometheusText.sum(before, "pollbot_commands_total", ["command=\"/start\""]) == 0)

        await harness.fake.sendText("/start", from: alice)
        _ = await harness.fake.waitForCalls("sendMessage", count: 1)
        // The reply is counted once Telegram took it; the sender settles right after the call returns.
        var after = try await Self.scrape(port)
        let deadline = ContinuousClock.now + .seconds(5)
        while (after["pollbot_replies_sent_total"] ?? 0) < 1, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            after = try await Self.scrape(port)
        }
        #expect(after["pollbot_commands_total{command=\"/start\",outcome=\"ok\"}"] == 1)
        #expect(after["pollbot_command_duration_seconds_count{command=\"/start\"}"] == 1)
        #expect(after["pollbot_command_duration_seconds_bucket{command=\"/start\",le=\"10.0\"}"] == 1)
        #expect(after["pollbot_updates_received_total{kind=\"message\"}"] == 1)
        #expect(after["pollbot_updates_handled_total{kind=\"command\"}"] == 1)
        #expect(after["pollbot_replies_sent_total"] == 1)
        #expect(try #require(after["pollbot_last_getupdates_age_seconds"]) < 5)

        await harness.fake.sendText("/start", from: alice)
        _ = await harness.fake.waitForCalls("sendMessage", count: 2)
        let again = try await Self.scrape(port)
        #expect(again["pollbot_commands_total{command=\"/start\",outcome=\"ok\"}"] == 2)
        #expect(again["pollbot_command_duration_seconds_count{command=\"/start\"}"] == 2)
        let ready = try await AdminScrape.get("/readyz", port: port)
        await harness.shutdown()
        #expect(ready.status == 200, "\(ready.body)")
    }

    @Test func brokerCallsAndTheCacheAreCountedByEndpointAndCall() async throws {
        let (harness, port) = try await Self.start()
        await harness.fake.sendText("/funds", from: alice)
        _ = await harness.fake.waitForCalls("sendMessage", count: 1)
        await harness.fake.sendText("/funds", from: alice)
        _ = await harness.fake.waitForCalls("sendMessage", count: 2)
        let samples = try await Self.scrape(port)
        await harness.shutdown()
        #expect(samples["pollbot_broker_calls_total{endpoint=\"funds\",outcome=\"ok\"}"] == 1)
        #expect(samples["pollbot_broker_call_duration_seconds_count{endpoint=\"funds\"}"] == 1)
        #expect(samples["pollbot_cache_misses_total{call=\"funds\"}"] == 1)
        #expect(samples["pollbot_cache_hits_total{call=\"funds\"}"] == 1)
        #expect(samples["pollbot_commands_total{command=\"/funds\",outcome=\"ok\"}"] == 2)
    }

    @Test func nothingTheListenerShowsHoldsTheTokenOrWhatUsersTyped() async throws {
        let (harness, port) = try await Self.start()
        let apiKey = String(repeating: "ab12", count: 16)
        await harness.fake.sendText("/\(apiKey)", from: alice)
        await harness.fake.sendText("/link \(apiKey)", from: alice)
        await harness.fake.sendText("/nosuchcommand_\(Int.max)", from: alice)
        _ = await harness.fake.waitForCalls("sendMessage", count: 3)
        var pages: [String] = []
        for path in ["/metrics", "/healthz", "/readyz", "/", "/metrics?x=\(apiKey)", "/../../etc/passwd"] {
            pages.append(try await AdminScrape.get(path, port: port).body)
        }
        await harness.shutdown()
        let secret = try #require(harness.fake.token.split(separator: ":").last.map(String.init))
        for page in pages {
            #expect(!page.contains(secret), "the bot token's secret part leaked")
            #expect(!page.contains(apiKey), "an API key a user typed leaked")
            #expect(!page.contains("nosuchcommand"), "a typed command name became a label")
        }
        let samples = try #require(PrometheusText.samples(pages[0]))
        #expect(PrometheusText.sum(samples, "pollbot_commands_total", ["command=\"unknown\""]) >= 2)
    }
}
