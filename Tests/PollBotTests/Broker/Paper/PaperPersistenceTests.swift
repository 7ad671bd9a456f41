@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// The paper books in the bot's database: a restart (a new store and exchange on the same file) finds every order,
/// position and fund change; a change is stored whole or not at all; concurrent changes are all kept.
@Suite struct PaperPersistenceTests {
    let directory: TemporaryDirectory
    let clock = ManualDate(PaperOrderTests.start)

    init() throws { directory = try TemporaryDirectory() }

    /// The paper broker of user 42 on a fresh store and exchange over the test's file: the bot after a restart.
    func broker() async throws -> PaperBroker {
        let store = try BotStore(path: directory.file("pollbot.sqlite3"), schemas: TraderApp.schemas)
        return await PaperExchange(store: store, now: { [clock] in clock.now }).broker(for: 42)
    }

    struct Books: Equatable {
        var orders: [Order], trades: [Trade], positions: [Position], holdings: Holdings, funds: Funds
    }

    func books(_ paper: PaperBroker) async throws -> Books {
        Books(orders: try await paper.orderBook().orders, trades: try await paper.tradeBook(), positions: try await paper.positions(),
              holdings: try await paper.holdings(), funds: try await paper.funds())
    }

    @Test func aMarketBuyIsThereAfterARestart() async throws {
        defer { directory.remove() }
        let paper = try await broker()
        let placement = try await paper.placeOrder(OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .buy, quantity: 100,
                                                                 priceType: .market, product: .mis))
        let id = try #require(placement.orderID)
        let before = try await books(paper)
        let after = try await books(try await broker())
        #expect(after == before)
        // Not a second seeding that happens to match: the new order and its fill are there.
        #expect(after.orders.contains { $0.orderID == id && $0.status == "complete" })
        #expect(after.positions.contains { $0.symbol == "WIPRO" && $0.quantity == 100 })
        // And order numbers go on from where they were.
        let next = try await broker().placeOrder(OrderRequest(symbol: "WIPRO", exchange: "NSE", action: .sell, quantity: 100,
                                                               priceType: .market, product: .mis))
        #expect(try #require(next.orderID) > id)
    }

    @Test func aRestingLimitSurvivesARestartAndFillsWhenCrossed() async throws {
        defer { directory.remove() }
        let paper = try await broker()
        let instrument = Instrument("RELIANCE", "NSE")
        let now = try await paper.quote(instrument).ltp
        var low = now, minutes = 0.0
        for minute in 1...200 {
            clock.advance(by: 60)
            let price = try await paper.quote(instrument).ltp
            if price < low - 0.5 { low = price; minutes = Double(minute); break }
        }
        try #require(low < now, "the walk never fell below the opening price in 200 minutes")
        clock.advance(by: -minutes * 60)
        let limit = PaperMarket.tick(low + 0.25)
        let id = try #require(try await paper.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 5,
                                                                       priceType: .limit, price: limit, product: .cnc)).orderID)
        let restarted = try await broker()
        #expect(try await restarted.orderStatus(id: id).order.status == "open")
        clock.advance(by: minutes * 60)
        let filled = try await restarted.orderStatus(id: id)
        #expect(filled.order.status == "complete" && filled.averagePrice == limit)
        #expect(try await broker().positions().first { $0.symbol == "RELIANCE" && $0.product == "CNC" }?.quantity == 5)
    }

    @Test func aChangeThatCannotBeStoredLeavesNoHalfOrder() async throws {
        defer { directory.remove() }
        let paper = try await broker()
        let before = try await books(paper)
        let other = try SQLiteDatabase(path: directory.file("pollbot.sqlite3"))
        let storedOrders = try other.query("SELECT COUNT(*) FROM paper_orders") { $0.int(0) }.first
        // The order row is written before the trade row; the trade cannot be, so neither may stay.
        try other.execute("CREATE TRIGGER no_trades BEFORE INSERT ON paper_trades BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        await #expect(throws: (any Error).self) {
            _ = try await paper.placeOrder(OrderRequest(symbol: "ITC", exchange: "NSE", action: .buy, quantity: 10, priceType: .market, product: .cnc))
        }
        #expect(try other.query("SELECT COUNT(*) FROM paper_orders") { $0.int(0) }.first == storedOrders)
        #expect(try await books(paper) == before)
        try other.execute("DROP TRIGGER no_trades")
        #expect(try await books(try await broker()) == before)
        // Once storage works, the same order is booked whole.
        let id = try #require(try await paper.placeOrder(OrderRequest(symbol: "ITC", exchange: "NSE", action: .buy, quantity: 10,
                                                                       priceType: .market, product: .cnc)).orderID)
        #expect(try await broker().tradeBook().contains { $0.orderID == id })
    }

    @Test func concurrentOrdersAreAllKept() async throws {
        defer { directory.remove() }
        let paper = try await broker()
        let before = try await paper.orderBook().orders.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    _ = try await paper.placeOrder(OrderRequest(symbol: "NTPC", exchange: "NSE", action: .buy, quantity: 1, priceType: .market,
                                                                product: .mis))
                }
            }
            try await group.waitForAll()
        }
        let restarted = try await broker()
        #expect(try await restarted.orderBook().orders.count == before + 20)
        #expect(try await restarted.positions().first { $0.symbol == "NTPC" }?.quantity == 20)
    }
}
