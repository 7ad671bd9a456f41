import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Orders placed through the bot: the confirmation's follow-up tells their status, the watch only what comes later.
@Suite struct OrderWatchBotOrderTests {
    @Test func anOrderPlacedThroughTheBotIsToldOnce() async throws {
        let user = OrderDeskFixture.user
        let watch = try await OrderWatchFixture.make(users: [user])
        await watch.cycle()
        let desk = try await OrderDeskFixture.make(fake: watch.fake, directory: watch.alerts.directory)

        // A market order completes at once: the follow-up said so, the watch says nothing.
        let market = try await desk.confirm(try #require(try await desk.propose().id))
        #expect(market.html?.contains("Status: <b>complete</b>") == true)
        await watch.cycle()
        #expect(try await watch.texts().isEmpty)

        // A limit order the follow-up left open: its fill later is told by the watch, once.
        let limit = try await desk.confirm(try #require(try await desk.propose(OrderDeskFixture.draft(price: 1400)).id))
        #expect(limit.html?.contains("Status: <b>open</b>") == true)
        await watch.cycle()
        #expect(try await watch.texts().isEmpty)
        let ids = await watch.fake.placedOrderIDs
        #expect(ids.count == 2)
        await watch.fake.setOrderStatus(try #require(ids.last), "complete", filled: 10, price: 1399.9)
        await watch.cycle()
        await watch.cycle()
        let texts = try await watch.texts()
        #expect(texts.count == 1)
        #expect(texts.first?.contains("Filled: BUY 10 RELIANCE NSE at an average of 1,399.90") == true)

        // The same kind of order placed from outside the bot is told at its first sight in the book.
        let outside = try await watch.placeOutside()
        await watch.fake.setOrderStatus(outside, "complete", filled: 10, price: 1401)
        await watch.cycle()
        #expect(try await watch.texts().count == 2)
        await desk.close()
    }
}
