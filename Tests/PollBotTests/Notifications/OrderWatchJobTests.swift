import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Order notifications: each change of an order in a watched book told once (filled with its average price, partly
/// filled, rejected with the reason, cancelled), the first sight silent, exactly once across restarts.
@Suite struct OrderWatchJobTests {
    @Test func openToCompleteIsToldOnceWithTheAveragePriceAfterASilentFirstSight() async throws {
        let watch = try await OrderWatchFixture.make()
        // The fake's book already holds 90 orders, complete, rejected and cancelled among them: none is told.
        await watch.cycle()
        #expect(try await watch.texts().isEmpty)
        #expect(await watch.fake.calls("orderbook") == 1)
        let id = try await watch.placeOutside()
        await watch.cycle()
        #expect(try await watch.texts().isEmpty)  // open and unfilled: nothing to tell yet
        #expect(await watch.fake.setOrderStatus(id, "complete", filled: 10, price: 1401.5))
        await watch.cycle()
        let texts = try await watch.texts()
        #expect(texts.count == 1)
        let text = try #require(texts.first)
        #expect(text.contains("Filled: BUY 10 RELIANCE NSE at an average of 1,401.50"))
        #expect(text.contains("Account main, order \(id)"))
        #expect(text.contains("11:00:45"))
        #expect(try await watch.payloads().first?["chat_id"] as? Int64 == OrderWatchFixture.user)
        await watch.cycle()
        await watch.cycle()
        #expect(try await watch.texts().count == 1)
        #expect(await watch.fake.calls("orderbook") == 5)  // one read per cycle
        await watch.close()
    }

    @Test func aRejectionCarriesTheBrokersReason() async throws {
        let watch = try await OrderWatchFixture.make()
        await watch.cycle()
        let id = try await watch.placeOutside()
        await watch.fake.setOrderStatus(id, "rejected", reason: "RMS: margin shortfall of 1,200.00")
        await watch.cycle()
        let texts = try await watch.texts()
        #expect(texts == ["\u{26D4} Rejected: BUY 10 RELIANCE NSE: RMS: margin shortfall of 1,200.00\n"
                          + "Account main, order \(id), seen at 11:00:30."])
        await watch.close()
    }

    @Test func aPartialFillIsToldThenTheRestThenACancellation() async throws {
        let watch = try await OrderWatchFixture.make()
        await watch.cycle()
        let first = try await watch.placeOutside()
        let second = try await watch.placeOutside(quantity: 20, price: 1390)
        await watch.cycle()
        await watch.fake.setOrderStatus(first, "open", filled: 4, price: 1400)
        await watch.cycle()
        await watch.cycle()  // no new fill: nothing more
        await watch.fake.setOrderStatus(first, "complete", filled: 6, price: 1399)
        await watch.fake.setOrderStatus(second, "cancelled", filled: 5, price: 1390)
        await watch.cycle()
        let texts = try await watch.texts()
        #expect(texts.count == 3)
        #expect(texts.first?.contains("Partially filled: 4 of BUY 10 RELIANCE NSE at an average of 1,400.00; the rest is still working") == true)
        // The average over both fills: (4 × 1400 + 6 × 1399) / 10.
        #expect(texts.contains { $0.contains("Filled: BUY 10 RELIANCE NSE at an average of 1,399.40") && $0.contains(first) })
        #expect(texts.contains { $0.contains("Cancelled: BUY 20 RELIANCE NSE (5 had filled)") && $0.contains(second) })
        await watch.close()
    }

    @Test func aRestartBetweenCyclesNeitherRepeatsNorLosesAChange() async throws {
        let watch = try await OrderWatchFixture.make()
        await watch.cycle()
        let filled = try await watch.placeOutside()
        let rejected = try await watch.placeOutside(quantity: 5)
        await watch.cycle()
        await watch.fake.setOrderStatus(filled, "complete", filled: 10, price: 1402)
        await watch.cycle()
        #expect(try await watch.texts().count == 1)
        // Changed while the bot is down: told after the restart, once.
        await watch.fake.setOrderStatus(rejected, "rejected", reason: "Price band exceeded")
        let again = try await watch.restarted()
        await again.cycle()
        let texts = try await again.texts()
        #expect(texts.count == 2)
        #expect(texts.last?.contains("Rejected: BUY 5 RELIANCE NSE: Price band exceeded") == true)
        let third = try await again.restarted()
        await third.cycle()
        #expect(try await third.texts().count == 2)
        #expect(try await third.store.jobs(kind: OrderWatchJob.name).count == 1)
        await third.close()
    }

    @Test func aFailedReadKeepsTheMemoryAndTheNextCycleTellsTheChange() async throws {
        let watch = try await OrderWatchFixture.make()
        await watch.cycle()
        let id = try await watch.placeOutside()
        await watch.cycle()
        await watch.fake.setOrderStatus(id, "complete", filled: 10, price: 1401)
        await watch.fake.inject(.status(500, message: "broker down"), for: "orderbook")
        await watch.cycle()
        #expect(try await watch.texts().isEmpty)
        await watch.cycle()
        #expect(try await watch.texts().count == 1)
        await watch.close()
    }

    @Test func silentSetsDisableNotificationAndOffSendsNothing() async throws {
        let watch = try await OrderWatchFixture.make()
        await watch.cycle()
        let quiet = try await watch.placeOutside()
        await watch.cycle()
        try await watch.store.setNotificationLevel(.silent, for: .orders, of: OrderWatchFixture.user)
        await watch.fake.setOrderStatus(quiet, "complete", filled: 10, price: 1401)
        await watch.cycle()
        let payloads = try await watch.payloads()
        #expect(payloads.count == 1)
        #expect(payloads.first?["disable_notification"] as? Bool == true)

        try await watch.store.setNotificationLevel(.off, for: .orders, of: OrderWatchFixture.user)
        let unseen = try await watch.placeOutside()
        await watch.cycle()
        let books = await watch.fake.calls("orderbook")
        await watch.fake.setOrderStatus(unseen, "rejected", reason: "no margin")
        await watch.cycle()
        #expect(try await watch.payloads().count == 1)
        #expect(await watch.fake.calls("orderbook") == books)  // off: the book is not even read
        // Back on: a silent first sight again, not a burst of what happened while off.
        try await watch.store.setNotificationLevel(.on, for: .orders, of: OrderWatchFixture.user)
        await watch.cycle()
        #expect(try await watch.payloads().count == 1)
        await watch.close()
    }

    @Test func twoUsersOfOneKeyShareOneReadAndAreEachTold() async throws {
        let users = [OrderWatchFixture.user, OrderWatchFixture.user + 1]
        let watch = try await OrderWatchFixture.make(users: users)
        await watch.cycle()
        #expect(await watch.fake.calls("orderbook") == 1)
        let id = try await watch.placeOutside()
        await watch.fake.setOrderStatus(id, "complete", filled: 10, price: 1401)
        await watch.cycle()
        #expect(await watch.fake.calls("orderbook") == 2)
        let chats = try await watch.payloads().compactMap { ($0["chat_id"] as? NSNumber)?.int64Value }
        #expect(chats.sorted() == users)
        await watch.close()
    }
}
