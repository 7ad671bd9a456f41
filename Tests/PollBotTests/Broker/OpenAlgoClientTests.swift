@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct OpenAlgoClientTests {
    @Test func numbersDecodeFromStringsOrNumbers() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: ["k-12345678"])
        let funds = try await OpenAlgoClient(host: broker.host, apiKey: "k-12345678").funds()
        #expect(funds.availableCash == 320.66)
        #expect(funds.realizedPnL == -12.5)
        #expect(funds.unrealizedPnL == 45.25)
        #expect(funds.collateral == 0)
        await broker.stop()
    }

    @Test func errorsBecomeWhatATraderCanActOn() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: ["k-12345678"])
        let client = OpenAlgoClient(host: broker.host, apiKey: "k-12345678")
        await broker.inject(.status(429, message: "Rate limit exceeded", retryAfter: 60), for: "funds")
        await broker.inject(.status(500, message: "Broker session error: token expired"), for: "funds")
        await #expect { _ = try await client.funds() } throws: { error in
            guard case BrokerError.rateLimited(let retry) = error else { return false }
            return retry == 60
        }
        await #expect { _ = try await client.funds() } throws: { error in
            guard case let BrokerError.server(status, message) = error else { return false }
            return status == 500 && message == "Broker session error: token expired"
        }
        await #expect { _ = try await OpenAlgoClient(host: broker.host, apiKey: "bad-key-000").funds() } throws: { error in
            guard case BrokerError.rejectedKey(let message) = error else { return false }
            return message == "Invalid openalgo apikey"
        }
        await broker.stop()
    }

    @Test func aFieldKeyedMessageNamesTheField() {
        let body = Data(#"{"status":"error","message":{"symbol":["Missing data for required field."]}}"#.utf8)
        guard case .invalidRequest(let message) = OpenAlgoClient.error(status: 400, body: body) else {
            Issue.record("expected invalidRequest")
            return
        }
        #expect(message == "symbol: Missing data for required field.")
    }

    @Test func aBrokerThatNeverAnswersTimesOut() async throws {
        let broker = try await FakeOpenAlgo.start(validKeys: ["k-12345678"])
        await broker.inject(.stall(.seconds(5)), for: "funds")
        let client = OpenAlgoClient(host: broker.host, apiKey: "k-12345678", timeout: .milliseconds(500))
        let started = ContinuousClock.now
        await #expect { _ = try await client.funds() } throws: { error in
            guard case BrokerError.unreachable(let transport) = error else { return false }
            return transport.isTimeout
        }
        #expect(started.duration(to: .now) < .seconds(2))
        await broker.stop()
    }

    @Test(arguments: [("1e300", 3600), ("-5", 1), ("\"2.5\"", 3), ("\"inf\"", nil), ("\"soon\"", nil), ("30", 30), ("null", nil)])
    func aRateLimitsRetryAfterIsKeptWithinReason(sent: String, kept: Int?) {
        let body = Data(#"{"status":"error","message":"Rate limit exceeded","retry_after":\#(sent)}"#.utf8)
        guard case .rateLimited(let retry) = OpenAlgoClient.error(status: 429, body: body) else {
            Issue.record("a 429 is a rate limit")
            return
        }
        #expect(retry == kept)
    }
}
