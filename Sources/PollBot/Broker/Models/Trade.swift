import BotKit

/// One fill in the broker's trade book.
public struct Trade: Decodable, Sendable, Equatable {
    public var action: String
    public var symbol: String
    public var exchange: String
    public var orderID: String
    public var product: String
    public var quantity: Double
    public var averagePrice: Double
    public var timestamp: String
    /// The broker's value, or quantity × average price when it sends none.
    public var value: Double

    enum CodingKeys: String, CodingKey {
        case action, symbol, exchange, orderID = "orderid", product, quantity, averagePrice = "average_price"
        case timestamp, value = "trade_value"
    }

    public init(action: String, symbol: String, exchange: String, orderID: String, product: String, quantity: Double,
                averagePrice: Double, timestamp: String, value: Double? = nil) {
        self.action = action
        self.symbol = symbol
        self.exchange = exchange
        self.orderID = orderID
        self.product = product
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.timestamp = timestamp
        self.value = value ?? abs(quantity) * averagePrice
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.text(.action)
        symbol = try container.text(.symbol)
        exchange = try container.text(.exchange)
        product = try container.text(.product)
        timestamp = try container.text(.timestamp)
        let (orderID, quantity, averagePrice, value) = try UnusableValue.naming("a trade in \(symbol) \(exchange)") {
            (try container.text(.orderID), try container.number(.quantity), try container.number(.averagePrice), try container.number(.value))
        }
        self.orderID = orderID
        self.quantity = quantity
        self.averagePrice = averagePrice
        // Both factors are below 10^15, so the product is finite (at most 10^30), never inf.
        self.value = value != 0 ? abs(value) : abs(quantity) * averagePrice
    }

    /// True for a buy.
    public var isBuy: Bool { action.uppercased() == "BUY" }
}
