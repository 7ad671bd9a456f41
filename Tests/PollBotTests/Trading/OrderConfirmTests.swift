import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Preview → confirm → exactly one order, on a real SQLite file and the fake OpenAlgo over libcurl: the press that
/// confirms is the only one that sends, within its time limit, by its owner.
@Suite struct OrderConfirmTests {
    @Test func aConfirmedPreviewPlacesExactlyOneOrderAndASecondPressPlacesNone() async throws {
        let rig = try await OrderDeskFixture.make()
        let (id, html) = try await rig.propose()
        #expect(html.contains("Order preview") && html.contains("BUY 10 RELIANCE NSE, MARKET, CNC"))
        #expect(html.contains("LTP: 1,420.10") && html.contains("Margin: not available from this broker"))
        #expect(html.contains("\u{2713} max_order_value") && html.contains("Press Confirm within 30 s"))
        let first = try await rig.confirm(try #require(id))
        #expect(first.sent && first.toast == "Confirmed")
        // The order id goes out the moment it is recorded; the reply adds its status.
        #expect(rig.progress.all.count == 1 && rig.progress.all[0].contains("<b>Placed</b>: order <code>"))
        #expect(first.html?.contains("Status: <b>complete</b>") == true)
        let again = try await rig.confirm(try #require(id))
        #expect(!again.sent && again.toast.hasPrefix("Already confirmed (placed)"))
        #expect(await rig.fake.placedOrderCount == 1)
        #expect(await rig.fake.calls("placeorder") == 1)
        let intents = try await rig.intents()
        #expect(intents.count == 1 && intents.first?.state == .placed)
        let placed = try await rig.client.orderBook().orders.filter { $0.orderID.hasPrefix("25110700") }.map(\.orderID)
        #expect(placed.count == 1 && intents.first?.brokerOrderID == placed.first)
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["preview", "confirm", "placement", "result", "refused press"])
        await rig.close()
    }

    @Test func pressesFromTwoDevicesAtOnceSendOneOrder() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        async let a = rig.confirm(id)
        async let b = rig.confirm(id)
        async let c = rig.confirm(id)
        let results = try await [a, b, c]
        #expect(results.filter(\.sent).count == 1)
        #expect(results.filter { $0.toast.hasPrefix("Already confirmed") }.count == 2)
        #expect(await rig.fake.placedOrderCount == 1)
        await rig.close()
    }

    @Test func aPressThatReachedTheBotAfterTheTimeLimitPlacesNothing() async throws {
        let rig = try await OrderDeskFixture.make(trading: "confirm_seconds = 30")
        let id = try #require(try await rig.propose().id)
        // Handled late is fine when it arrived in time: only the arrival time counts.
        let late = try await rig.confirm(id, after: 31)
        #expect(!late.sent && late.toast == "This confirmation expired; send the order again.")
        #expect(try await rig.confirm(id, after: 1).toast == "This confirmation expired; send the order again.")
        #expect(await rig.fake.calls("placeorder") == 0)
        #expect(try await rig.intents().isEmpty)
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["preview", "expired"])
        await rig.close()
    }

    @Test func aPressArrivingJustInTimeIsHonouredEvenWhenHandledLater() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        let received = rig.clock.now.addingTimeInterval(29)
        rig.clock.advance(by: 600)  // a crash and restart between arrival and handling
        let result = try await rig.desk.confirm(id, userID: OrderDeskFixture.user, receivedAt: received, logger: rig.logger)
        #expect(result.sent)
        #expect(await rig.fake.placedOrderCount == 1)
        await rig.close()
    }

    @Test func onlyTheOwnerConfirmsAndCancelStopsTheOrder() async throws {
        let rig = try await OrderDeskFixture.make(trading: "users = [\(OrderDeskFixture.user), 77]")
        let id = try #require(try await rig.propose().id)
        #expect(try await rig.confirm(id, by: 77).toast == "This button is not for you.")
        #expect(try await rig.desk.cancel(id, userID: OrderDeskFixture.user) == "Cancelled; nothing was sent.")
        #expect(try await rig.confirm(id).toast.hasPrefix("This order was cancelled"))
        #expect(await rig.fake.calls("placeorder") == 0)
        await rig.close()
    }

    @Test func theGateRefusesWhenTradingIsOffOrTheUserIsNotListed() async throws {
        let off = try await OrderDeskFixture.make(trading: "enabled = false")
        #expect(try await off.propose().html == HTML.escape(TradingGate.off))
        await off.close()
        let rig = try await OrderDeskFixture.make(trading: "users = [1]")
        let refused = try await rig.propose()
        #expect(refused.id == nil && refused.html == HTML.escape(TradingGate.notAllowed))
        #expect(try await rig.store.confirmationCount() == 0)
        await rig.close()
    }

    @Test func semiAutoAndAnalyzeRepliesAreShownAsSuch() async throws {
        let rig = try await OrderDeskFixture.make()
        await rig.fake.setSemiAuto(true)
        let queued = try await rig.confirm(try #require(try await rig.propose().id))
        #expect(queued.html?.contains("Queued for approval") == true)
        await rig.fake.setSemiAuto(false)
        await rig.fake.setAnalyze(true)
        let simulated = try await rig.confirm(try #require(try await rig.propose().id))
        #expect(simulated.html?.contains("<b>Simulated</b>") == true)
        #expect(try await rig.intents().map(\.state) == [.queued, .simulated])
        #expect(await rig.fake.placedOrderCount == 0)
        await rig.close()
    }

    @Test func aBrokerGoneBeforeSendingMeansNothingIsSentAndTheIntentFails() async throws {
        let rig = try await OrderDeskFixture.make()
        // The book cannot be read before sending, so the order is never sent: it could not be reconciled afterwards.
        let id = try #require(try await rig.propose().id)
        await rig.fake.stop()
        let result = try await rig.confirm(id)
        #expect(result.html?.contains("Nothing was placed") == true)
        #expect(try await rig.intents().first?.state == .failed)
        rig.directory.remove()
    }
}
