import BotKit
@testable import PollBot
import Foundation
import Synchronization
import TestSupport
import Testing

/// Retries, the circuit breaker and timeouts, against the fake OpenAlgo and a host that never answers.
@Suite struct ResilienceTests {
    let fast: [Duration] = [.milliseconds(10), .milliseconds(10)]

    func client(_ broker: FakeOpenAlgo, timeout: Duration = .seconds(5)) -> OpenAlgoClient {
        OpenAlgoClient(host: broker.host, apiKey: BrokerRig.apiKey, timeout: timeout)
    }

    func calls(_ broker: FakeOpenAlgo, _ endpoint: String) async -> Int {
        await broker.requests.filter { $0.endpoint == endpoint }.count
    }

    @Test func readsAreRetriedAtMostTwice() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let resilient = ResilientBroker(client(broker), breaker: CircuitBreaker(), delays: fast)
        await broker.inject(.status(500, message: "broker down"), for: "funds", times: 5)
        await #expect { _ = try await resilient.funds() } throws: { error in
            guard case .server(500, "broker down")? = error as? BrokerError else { return false }
            return true
        }
        #expect(await calls(broker, "funds") == 3)
        // One failure then success: the user never sees it.
        await broker.stop()
        let healthy = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        await healthy.inject(.status(502, message: "bad gateway"), for: "positionbook")
        let positions = try await ResilientBroker(client(healthy), breaker: CircuitBreaker(), delays: fast).positions()
        #expect(positions.count == FakeOpenAlgoData.positions.count)
        #expect(await calls(healthy, "positionbook") == 2)
        await healthy.stop()
    }

    @Test func refusalsAreNotRetried() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let waits = Mutex<[Duration]>([])
        let resilient = ResilientBroker(client(broker), breaker: CircuitBreaker(), delays: fast,
                                        sleep: { duration in waits.withLock { $0.append(duration) } })
        await broker.inject(.status(403, message: "Invalid openalgo apikey"), for: "funds")
        await #expect(throws: BrokerError.self) { _ = try await resilient.funds() }
        await broker.inject(.status(429, message: "Rate limit exceeded", retryAfter: 60), for: "holdings")
        await #expect { _ = try await resilient.holdings() } throws: { error in
            guard case .rateLimited(60)? = error as? BrokerError else { return false }
            return true
        }
        #expect(await calls(broker, "funds") == 1)
        #expect(await calls(broker, "holdings") == 1)
        // A short retry_after is waited out instead.
        await broker.inject(.status(429, message: "Rate limit exceeded", retryAfter: 1), for: "tradebook")
        #expect(try await resilient.tradeBook().count == 42)
        #expect(waits.withLock { $0 } == [.seconds(1)], "the retry waited out retry_after, and only that")
        #expect(await calls(broker, "tradebook") == 2)
        await broker.stop()
    }

    @Test func theBreakerOpensAfterFiveFailedCallsAnswersAtOnceAndHeals() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let clock = ManualDate()
        let breaker = CircuitBreaker(threshold: 5, coolDown: 30, now: { clock.now })
        let resilient = ResilientBroker(client(broker), breaker: breaker, delays: fast)
        await broker.inject(.status(500, message: "down"), for: "funds", times: 15)
        // Each call makes 3 attempts but counts as one failure: four calls (12 attempts) leave it closed.
        for _ in 1...4 {
            await #expect(throws: BrokerError.self) { _ = try await resilient.funds() }
            #expect(await !breaker.isOpen(broker.host))
        }
        await #expect { _ = try await resilient.funds() } throws: { error in
            guard case .server(500, _)? = error as? BrokerError else { return false }
            return true
        }
        #expect(await breaker.isOpen(broker.host))
        #expect(await calls(broker, "funds") == 15)
        await #expect { _ = try await resilient.funds() } throws: { error in
            guard case .circuitOpen? = error as? BrokerError else { return false }
            return true
        }
        #expect(await calls(broker, "funds") == 15)
        // After the cool-down one probe goes through; it succeeds and the breaker closes.
        clock.advance(by: 31)
        #expect(try await resilient.funds().availableCash == 320.66)
        #expect(await !breaker.isOpen(broker.host))
        #expect(await calls(broker, "funds") == 16)
        await broker.stop()
    }

    @Test func oneUsersBadKeyNeverOpensTheBreakerForEveryone() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let breaker = CircuitBreaker(threshold: 5, coolDown: 30)
        let wrongKey = ResilientBroker(OpenAlgoClient(host: broker.host, apiKey: "not-a-key-of-this-host"), breaker: breaker, delays: fast)
        for _ in 1...12 {
            await #expect(throws: BrokerError.self) { _ = try await wrongKey.funds() }
        }
        #expect(await !breaker.isOpen(broker.host))
        #expect(try await ResilientBroker(client(broker), breaker: breaker, delays: fast).funds().availableCash == 320.66)
        await broker.stop()
    }

    @Test func aProbeThatIsCancelledLetsTheNextCallProbe() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let clock = ManualDate()
        let breaker = CircuitBreaker(threshold: 1, coolDown: 30, now: { clock.now })
        let resilient = ResilientBroker(client(broker), breaker: breaker, delays: [.seconds(30), .seconds(30)])
        await broker.inject(.status(500, message: "down"), for: "funds", times: 1)
        await broker.inject(.status(503, message: "still down"), for: "positionbook", times: 1)
        await #expect(throws: BrokerError.self) { _ = try await ResilientBroker(client(broker), breaker: breaker, delays: []).funds() }
        #expect(await breaker.isOpen(broker.host))
        clock.advance(by: 31)
        // The probe fails once and waits 30 s to retry; cancelling it must not leave the breaker half-open forever.
        let probe = Task { try await resilient.positions() }
        while await calls(broker, "positionbook") == 0 { try await Task.sleep(for: .milliseconds(5)) }
        probe.cancel()
        _ = await probe.result
        #expect(try await resilient.funds().availableCash == 320.66)
        #expect(await !breaker.isOpen(broker.host))
        await broker.stop()
    }

    @Test func aHostThatNeverAnswersCostsOneTimeoutNotThree() async throws {
        let silent = try SilentHost()
        defer { silent.stop() }
        let resilient = ResilientBroker(OpenAlgoClient(host: silent.host, apiKey: "k", timeout: .seconds(1)),
                                        breaker: CircuitBreaker(), delays: fast)
        await #expect { _ = try await resilient.funds() } throws: { error in
            guard case .unreachable(let transport)? = error as? BrokerError else { return false }
            return transport.isTimeout
        }
        #expect(silent.connections == 1)
    }

    @Test func aHungBrokerDelaysOnlyTheChatThatAsked() async throws {
        let rig = try await BrokerRig.make(broker: "timeout = 2")
        let alice = FakeUser(id: 4001, firstName: "Alice"), bob = FakeUser(id: 4002, firstName: "Bob")
        await rig.link(alice)
        await rig.broker.inject(.stall(.seconds(5)), for: "funds")
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.sendText("/funds", from: alice)
        try await Task.sleep(for: .milliseconds(100))
        await rig.fake.sendText("/start", from: bob)
        let calls = await rig.fake.waitForCalls("sendMessage", count: before + 2, timeout: .seconds(10)).dropFirst(before)
        let first = try #require(calls.first), second = try #require(calls.last)
        #expect(first.chatID == bob.id)
        #expect(second.chatID == alice.id)
        #expect(first.receivedAt < second.receivedAt - .seconds(1))
        let text = try #require(second.visibleText)
        #expect(text.contains("OpenAlgo at \(rig.broker.host) did not answer within 2 s"))
        let errorID = try #require(text.firstMatch(of: /error ([0-9a-f]{6})/)?.1)
        #expect(rig.harness.logs.text.contains("error_id=\(errorID)"))
        await rig.close()
    }

    @Test func brokerErrorsReachTheTraderInWordsToActOn() async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\nfunds = 0")
        let alice = FakeUser(id: 4003, firstName: "Alice")
        await rig.link(alice)
        let host = rig.broker.host
        await rig.broker.inject(.status(403, message: "Invalid openalgo apikey"), for: "funds")
        #expect(await rig.ask("/funds", from: alice).first?.visibleText?
            .hasPrefix("OpenAlgo at \(host) rejected the API key of account main; /link it again.") == true)
        await rig.broker.inject(.status(429, message: "Rate limit exceeded", retryAfter: 30), for: "funds")
        #expect(await rig.ask("/funds", from: alice).first?.visibleText?
            .hasPrefix("OpenAlgo at \(host) is limiting requests; try again in 30 s") == true)
        await rig.broker.inject(.status(500, message: "Zerodha session expired"), for: "funds", times: 15)
        for _ in 1...5 {
            #expect(await rig.ask("/funds", from: alice).first?.visibleText?
                .hasPrefix("OpenAlgo at \(host) failed (HTTP 500): Zerodha session expired") == true)
        }
        // The fifth failed call opened the breaker: from then on the answer is instant and no call is made.
        let opened = await rig.ask("/funds", from: alice).first?.visibleText ?? ""
        #expect(opened.contains("OpenAlgo at \(host) has not answered since "))
        #expect(opened.contains("; retrying automatically"))
        let before = await rig.broker.requests.count
        #expect(await rig.ask("/pnl", from: alice).first?.visibleText?.contains("has not answered since") == true)
        #expect(await rig.broker.requests.count == before)
        await rig.close()
    }
}
