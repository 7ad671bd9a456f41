import BotKit
import Foundation
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// The broker side of /metrics: calls by endpoint and outcome, the breaker's state per host, the chart worker's readiness.
@Suite struct BrokerMetricsTests {
    @Test func theBreakerStateFollowsEachHostClosedOpenHalfOpenClosed() async throws {
        let metrics = BotMetrics()
        let now = ManualDate(Date(timeIntervalSince1970: 1_767_000_000))
        let breaker = CircuitBreaker(threshold: 2, coolDown: 30, now: { now.now }, metrics: metrics)
        let host = "http://10.0.0.5:5000", series = "pollbot_breaker_state{host=\"http://10.0.0.5:5000\"}"
        await breaker.record(host, failed: true)
        #expect(try #require(await PrometheusText.samples(of: metrics))[series] == 0)
        await breaker.record(host, failed: true)
        #expect(try #require(await PrometheusText.samples(of: metrics))[series] == 2)
        now.advance(by: 31)
        try await breaker.admit(host)
        #expect(try #require(await PrometheusText.samples(of: metrics))[series] == 1)
        await breaker.record(host, failed: false)
        #expect(try #require(await PrometheusText.samples(of: metrics))[series] == 0)
    }

    @Test func aRefusedCallIsCountedUnderItsEndpointAndOutcome() async throws {
        let metrics = BotMetrics()
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let broker = ResilientBroker(OpenAlgoClient(host: fake.host, apiKey: "not-the-key-0123456789"),
                                     breaker: CircuitBreaker(metrics: metrics), delays: [])
        await #expect(throws: BrokerError.self) { _ = try await broker.funds() }
        _ = try? await broker.positions()
        let good = ResilientBroker(OpenAlgoClient(host: fake.host, apiKey: BrokerRig.apiKey), breaker: CircuitBreaker(metrics: metrics))
        _ = try await good.funds()
        await fake.stop()
        let samples = try #require(await PrometheusText.samples(of: metrics))
        #expect(samples["pollbot_broker_calls_total{endpoint=\"funds\",outcome=\"ok\"}"] == 1)
        #expect(samples["pollbot_broker_calls_total{endpoint=\"funds\",outcome=\"rejected_key\"}"] == 1)
        #expect(samples["pollbot_broker_calls_total{endpoint=\"positions\",outcome=\"rejected_key\"}"] == 1)
        #expect(samples["pollbot_broker_call_duration_seconds_count{endpoint=\"funds\"}"] == 2)
    }

    @Test func theChartWorkerIsNotReadyOnceRendersAreStuck() async throws {
        let release = DispatchSemaphore(value: 0)
        // Every render blocks and every time limit is up at once: each chart is abandoned, its thread stuck.
        let worker = ChartWorker(limit: .seconds(5), render: { _ in
            release.wait()
            return Data()
        }, timer: { _ in })
        #expect(await worker.problem() == nil)
        let spec = ChartSpec(instrument: Instrument("SLOW", "NSE"), interval: "D", kind: .daily, candles: [])
        for _ in 0..<ChartWorker.maxStuck { _ = try? await worker.render(spec) }
        let problem = try #require(await worker.problem())
        #expect(problem.contains("\(ChartWorker.maxStuck) chart renders are stuck"))
        for _ in 0..<ChartWorker.maxStuck { release.signal() }
    }
}
