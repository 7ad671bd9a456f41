import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// The OpenAlgo client's order calls over real libcurl to the fake: bodies, reply shapes, refusals, and the one
/// distinction reconciliation depends on: refused before acceptance versus outcome unknown.
@Suite struct OrderCallTests {
    let buy = OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10, priceType: .limit, price: 1400.5,
                           product: .cnc, strategy: "pb-7f3a")

    func client(_ fake: FakeOpenAlgo, timeout: Duration = .seconds(5)) -> OpenAlgoClient {
        OpenAlgoClient(host: fake.host, apiKey: BrokerRig.apiKey, timeout: timeout)
    }

    func isUnknown(_ error: any Error, _ reason: OrderUncertainty.Reason) -> Bool {
        guard case .outcomeUnknown(let uncertainty)? = error as? BrokerError else { return false }
        return uncertainty.reason == reason && uncertainty.endpoint == "placeorder"
    }

    @Test func placeSendsTheDocumentedBodyAndTheOrderAppearsInTheBook() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        let placement = try await client(fake).placeOrder(buy)
        guard case .placed(let id) = placement.outcome else { Issue.record("not placed: \(placement)"); return }
        #expect(await fake.bodies("placeorder") == [
            #"{"action":"BUY","exchange":"NSE","price":1400.5,"pricetype":"LIMIT","product":"CNC","quantity":10,"strategy":"pb-7f3a","symbol":"RELIANCE","trigger_price":0}"#,
        ])
        let status = try await client(fake).orderStatus(id: id)
        #expect(status.order.orderID == id && status.order.status == "open" && status.order.quantity == 10)
        #expect(try await client(fake).orderBook().orders.contains { $0.orderID == id })
        // Numeric ids (XTS brokers) come back as their digits.
        await fake.setNumericOrderIDs(true)
        let numeric = try await client(fake).placeOrder(buy)
        #expect(numeric.orderID?.allSatisfy(\.isNumber) == true)
        #expect(await fake.placedOrderCount == 2)
    }

    @Test func semiAutoAndAnalyzeRepliesAreUnderstood() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        await fake.setSemiAuto(true)
        let queued = try await client(fake).placeOrder(buy)
        #expect(queued.outcome == .queued(pendingID: "1") && queued.message.contains("Action Center") && queued.orderID == nil)
        await #expect { _ = try await client(fake).cancelOrder(id: "123") } throws: { error in
            guard case .rejectedKey(let message)? = error as? BrokerError else { return false }
            return message.contains("Semi-Auto")
        }
        await fake.setSemiAuto(false)
        #expect(try await client(fake).analyzerMode() == .live)
        #expect(try await client(fake).setAnalyzerMode(true) == .analyze)
        #expect(try await client(fake).analyzerMode() == .analyze)
        let simulated = try await client(fake).placeOrder(buy)
        guard case .simulated(let id?) = simulated.outcome else { Issue.record("not simulated: \(simulated)"); return }
        #expect(!id.isEmpty)
        #expect(try await client(fake).closeAllPositions().simulated)
        #expect(await fake.placedOrderCount == 0)
    }

    @Test func aValidationErrorSurfacesTheBrokersMessage() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        // A field the client checks passes; the fake refuses an id that is not open, in the broker's words.
        await #expect { _ = try await client(fake).modifyOrder(id: "999", to: buy) } throws: { error in
            guard case .invalidRequest(let message)? = error as? BrokerError else { return false }
            return message.contains("999")
        }
        // The body modifyorder needs: every field, orderid as a string, disclosed_quantity.
        #expect(await fake.bodies("modifyorder").first?.contains(#""disclosed_quantity":0"#) == true)
        #expect(await fake.bodies("modifyorder").first?.contains(#""orderid":"999""#) == true)
    }

    @Test func hostileRequestsAreRefusedBeforeAnythingIsSent() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        var bad = [OrderRequest]()
        for quantity in [0, -5, Int.max] { var order = buy; order.quantity = quantity; bad.append(order) }
        for price in [Double.nan, .infinity, 1e308, -1, 0] { var order = buy; order.price = price; bad.append(order) }
        var market = buy; market.priceType = .market; bad.append(market)  // a market order with a price
        var symbol = buy; symbol.symbol = "RELI\nANCE"; bad.append(symbol)
        var exchange = buy; exchange.exchange = "NYSE"; bad.append(exchange)
        for order in bad {
            await #expect(throws: BrokerError.self) { _ = try await client(fake).placeOrder(order) }
        }
        await #expect(throws: BrokerError.self) { _ = try await client(fake).cancelOrder(id: "") }
        await #expect(throws: BrokerError.self) { _ = try await client(fake).cancelOrder(id: String(repeating: "9", count: 65)) }
        #expect(await fake.calls("placeorder") == 0)
        #expect(await fake.calls("cancelorder") == 0)
    }

    @Test func aTimeoutAfterAcceptanceIsOutcomeUnknownAndNothingIsResent() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        await fake.injectOrderFault(.acceptThenStall(.seconds(30)))
        let resilient = ResilientBroker(client(fake, timeout: .seconds(2)), breaker: CircuitBreaker(),
                                        delays: [.milliseconds(1), .milliseconds(1)])
        await #expect { _ = try await resilient.placeOrder(buy) } throws: { isUnknown($0, .timedOut) }
        #expect(await fake.calls("placeorder") == 1)
        #expect(await fake.placedOrderCount == 1)
        #expect(try await client(fake).orderBook().orders.contains { $0.symbol == "RELIANCE" && $0.quantity == 10 && $0.status == "open" })
    }

    @Test func a500BeforeRecordingIsOutcomeUnknownButA400IsARefusal() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        await fake.injectOrderFault(.failBeforeRecording)
        let resilient = ResilientBroker(client(fake), breaker: CircuitBreaker(), delays: [.milliseconds(1), .milliseconds(1)])
        await #expect { _ = try await resilient.placeOrder(buy) } throws: {
            isUnknown($0, .server(status: 500, message: "Failed to place order due to internal error"))
        }
        #expect(await fake.calls("placeorder") == 1)
        #expect(await fake.placedOrderCount == 0)
        // A 400 is the broker refusing before acceptance: a plain refusal, not "unknown".
        await fake.inject(.status(400, message: "Insufficient funds <b>"), for: "placeorder")
        await #expect { _ = try await resilient.placeOrder(buy) } throws: { error in
            guard case .invalidRequest("Insufficient funds <b>")? = error as? BrokerError else { return false }
            return true
        }
        // A success without an id (some adapters on a failure body) and one with an insane id are unknown too.
        await fake.setReply("placeorder", body: #"{"status":"success","orderid":null}"#)
        await #expect { _ = try await resilient.placeOrder(buy) } throws: { isUnknown($0, .noOrderID) }
        await fake.setReply("placeorder", body: #"{"status":"success","orderid":"12\u0007"}"#)
        await #expect { _ = try await resilient.placeOrder(buy) } throws: { isUnknown($0, .unusableOrderID("12\u{7}")) }
        await fake.setReply("placeorder", body: #"{"status":"success","orderid":2.5}"#)
        await #expect { _ = try await resilient.placeOrder(buy) } throws: { isUnknown($0, .unusableOrderID("2.5")) }
        #expect(await fake.calls("placeorder") == 5)
    }

    @Test func theBreakerCountsAFailedOrderOnceAndReadsAreStillRetried() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        let breaker = CircuitBreaker()
        let resilient = ResilientBroker(client(fake), breaker: breaker, delays: [.milliseconds(1), .milliseconds(1)])
        await fake.inject(.status(502, message: "bad gateway"), for: "cancelorder", times: 3)
        await #expect(throws: BrokerError.self) { _ = try await resilient.cancelOrder(id: "1") }
        #expect(await fake.calls("cancelorder") == 1)
        await fake.inject(.status(502, message: "bad gateway"), for: "orderstatus", times: 2)
        await #expect(throws: BrokerError.self) { _ = try await resilient.orderStatus(id: "nope") }  // 404 after two retries
        #expect(await fake.calls("orderstatus") == 3)
    }

    @Test func aWriteDropsTheHostsCachedReads() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        let cache = ResponseCache()
        let resilient = ResilientBroker(client(fake), breaker: CircuitBreaker(), cache: cache)
        _ = try await cache.value(account: "1/main", host: fake.host, call: "orders", ttl: 60) { try await resilient.orderBook() }
        _ = try await cache.value(account: "2/other", host: "http://elsewhere", call: "orders", ttl: 60) { 1 }
        #expect(await cache.count == 2)
        _ = try await resilient.placeOrder(buy)
        #expect(await cache.count == 1)
        // A failed write drops them too: an unknown outcome may still have changed the books.
        _ = try await cache.value(account: "1/main", host: fake.host, call: "orders", ttl: 60) { try await resilient.orderBook() }
        await fake.injectOrderFault(.failBeforeRecording)
        await #expect(throws: BrokerError.self) { _ = try await resilient.placeOrder(buy) }
        #expect(await cache.count == 1)
    }

    @Test func cancelAllAndCloseAllReportWhatTheyDid() async throws {
        let fake = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        defer { Task { await fake.stop() } }
        let first = try #require(try await client(fake).placeOrder(buy).orderID)
        let second = try #require(try await client(fake).placeOrder(buy).orderID)
        #expect(try await client(fake).cancelOrder(id: first).orderID == first)
        #expect(await fake.orderStatus(first) == "cancelled")
        let all = try await client(fake).cancelAllOrders()
        #expect(all.cancelled == [second] && all.failed.isEmpty && all.message.contains("Canceled 1"))
        #expect(await fake.bodies("cancelallorder") == [#"{"strategy":"pollbot"}"#])
        #expect(try await client(fake).closeAllPositions().message == "All Open Positions Squared Off")
        #expect(await fake.closeCalls == 1)
    }
}
