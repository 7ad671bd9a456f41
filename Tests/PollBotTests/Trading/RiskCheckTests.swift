import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Each `[trading]` limit blocks an order on its own: the preview marks it ✗ with the reason, offers no Confirm button
/// and stores no confirmation (RELIANCE's LTP on the fake is 1,420.10).
@Suite struct RiskCheckTests {
    struct Case: Sendable, CustomStringConvertible {
        let key: String
        let trading: String
        let draft: OrderDraft
        let reason: String
        var description: String { key }
    }

    static let cases = [
        Case(key: "max_quantity", trading: "max_quantity = 5", draft: OrderDeskFixture.draft(10), reason: "10 units exceeds the limit of 5"),
        Case(key: "max_order_value", trading: "max_order_value = 10000", draft: OrderDeskFixture.draft(10), reason: "exceeds the limit of"),
        Case(key: "exchanges", trading: "exchanges = [\"NSE\"]", draft: OrderDeskFixture.draft(exchange: "BSE"),
             reason: "BSE is not among the allowed exchanges (NSE)"),
        Case(key: "products", trading: "products = [\"CNC\"]", draft: OrderDeskFixture.draft(product: .mis),
             reason: "MIS is not among the allowed products (CNC)"),
        Case(key: "price_band_percent", trading: "price_band_percent = 5", draft: OrderDeskFixture.draft(price: 1600),
             reason: "outside the band of 5.00%"),
        Case(key: "market_hours_only", trading: "market_hours_only = true", draft: OrderDeskFixture.draft(),
             reason: "the market is closed now"),
    ]

    @Test(arguments: cases)
    func eachLimitBlocksTheOrder(_ check: Case) async throws {
        let rig = try await OrderDeskFixture.make(trading: check.trading)
        // A Sunday: the market is closed, which only the market hours case turns into a block.
        rig.clock.advance(by: Self.secondsToNextSunday(from: rig.clock.now))
        let (id, html) = try await rig.propose(check.draft)
        #expect(id == nil)
        #expect(html.contains("\u{2717} \(check.key): "), "\(html)")
        #expect(html.contains(check.reason), "\(html)")
        #expect(html.contains("<b>Blocked</b>: \(check.key). Nothing was sent."))
        #expect(html.components(separatedBy: "\u{2717}").count == 2, "only \(check.key) fails")
        #expect(try await rig.store.confirmationCount() == 0)
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["blocked"])
        await rig.close()
    }

    @Test func theDailyOrderLimitCountsPlacedOrders() async throws {
        let rig = try await OrderDeskFixture.make(trading: "max_orders_per_day = 1")
        _ = try await rig.confirm(try #require(try await rig.propose().id))
        let (id, html) = try await rig.propose()
        #expect(id == nil && html.contains("\u{2717} max_orders_per_day: 1 of 1 orders placed today"))
        #expect(await rig.fake.placedOrderCount == 1)
        await rig.close()
    }

    @Test func hostileNumbersNeverPass() {
        let checks = RiskChecks(settings: TradingSettings(), format: DisplayFormat(currency: "\u{20B9}", timeZone: .system))
        for ltp in [Double.nan, .infinity, 0, -1, nil] {
            let verdicts = checks.evaluate(OrderDeskFixture.draft(price: 1420), ltp: ltp, ordersToday: 0, now: Date())
            #expect(verdicts.first { $0.key == "price_band_percent" }?.passed == false, "ltp \(String(describing: ltp))")
            let market = checks.evaluate(OrderDeskFixture.draft(), ltp: ltp, ordersToday: 0, now: Date())
            #expect(market.first { $0.key == "max_order_value" }?.passed == false, "ltp \(String(describing: ltp))")
        }
    }

    static func secondsToNextSunday(from date: Date) -> TimeInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        let next = calendar.nextDate(after: date, matching: DateComponents(hour: 12, weekday: 1), matchingPolicy: .nextTime)!
        return next.timeIntervalSince(date)
    }
}
