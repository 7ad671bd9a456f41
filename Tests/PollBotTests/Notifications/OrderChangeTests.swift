import BotKit
import Foundation
@testable import PollBot
import Testing

/// The comparison of two reads of a book, on hostile figures: nothing traps, nothing absurd is announced.
@Suite struct OrderChangeTests {
    func order(_ id: String, _ status: String, quantity: Double = 10) -> Order {
        Order(action: "BUY", symbol: "RELIANCE", exchange: "NSE", orderID: id, product: "CNC", quantity: quantity, price: 1400,
              priceType: "LIMIT", status: status, timestamp: "")
    }

    func trade(_ id: String, _ quantity: Double, _ price: Double) -> Trade {
        Trade(action: "BUY", symbol: "RELIANCE", exchange: "NSE", orderID: id, product: "CNC", quantity: quantity, averagePrice: price,
              timestamp: "")
    }

    @Test func absurdFillsGiveNoAverageAndNoPartialFill() {
        let fills = OrderFill.byOrder([trade("1", 1e308, 1e308), trade("2", 3, 0), trade("", 5, 100), trade("3", -4, 1400)])
        #expect(fills["1"] == nil)  // its value is not finite
        #expect(fills["2"]?.average == nil)  // a zero price is no average
        #expect(fills["3"]?.quantity == 4)  // a sell-signed quantity still counts its units
        let changes = OrderChange.changes(from: ["1": WatchedOrder(status: "open", filled: 0), "2": WatchedOrder(status: "open", filled: 0)],
                                          to: [order("1", "open"), order("2", "complete"), order("2", "rejected"), order("", "complete")],
                                          fills: fills, quiet: [])
        // Order 1's absurd fill is ignored; order 2 is listed twice and told once; the one without an id is never told.
        #expect(changes == [OrderChange(order: order("2", "complete"), kind: .filled(average: nil))])
        let text = changes[0].text(account: "<main>", at: Date(timeIntervalSince1970: 0),
                                   format: DisplayFormat(currency: "\u{20B9}", timeZone: .utc))
        #expect(text.contains("<b>Filled</b>: BUY 10 <b>RELIANCE NSE</b>\n"))
        #expect(text.contains("Account &lt;main&gt;"))
    }

    @Test func unknownStatusesAndZeroQuantitiesAreRememberedNotTold() {
        let changes = OrderChange.changes(from: ["9": WatchedOrder(status: "open", filled: 0)],
                                          to: [order("9", "AMO REQ RECEIVED"), order("8", "open", quantity: 0)],
                                          fills: ["8": OrderFill(quantity: 5, value: 7000)], quiet: [])
        #expect(changes.isEmpty)
        #expect(OrderChange.memory(of: [order("9", "AMO REQ RECEIVED")], fills: [:]) == ["9": WatchedOrder(status: "AMO REQ RECEIVED", filled: 0)])
    }
}
