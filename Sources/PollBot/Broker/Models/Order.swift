import BotKit

/// One order in the broker's order book.
public struct Order: Decodable, Sendable, Equatable {
    public var action: String
    public var symbol: String
    public var exchange: String
    public var orderID: String
    public var product: String
    public var quantity: Double
    public var price: Double
    public var priceType: String
    public var status: String
    public var triggerPrice: Double
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case action, symbol, exchange, orderID = "orderid", product, quantity, price, priceType = "pricetype"
        case status = "order_status", triggerPrice = "trigger_price", timestamp
    }

    public init(action: String, symbol: String, exchange: String, orderID: String, product: String, quantity: Double,
                price: Double, priceType: String, status: String, triggerPrice: Double = 0, timestamp: String) {
        self.action = action
        self.symbol = symbol
        self.exchange = exchange
        self.orderID = orderID
        self.product = product
        self.quantity = quantity
        self.price = price
        self.priceType = priceType
        self.status = status
        self.triggerPrice = triggerPrice
        self.timestamp = timestamp
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.text(.action)
        symbol = try container.text(.symbol)
        exchange = try container.text(.exchange)
        product = try container.text(.product)
        priceType = try container.text(.priceType)
        status = try container.text(.status)
        timestamp = try container.text(.timestamp)
        (orderID, quantity, price, triggerPrice) = try UnusableValue.naming("an order for \(symbol) \(exchange)") {
            (try container.text(.orderID), try container.number(.quantity), try container.number(.price), try container.number(.triggerPrice))
        }
    }
}

/// The order book: every order of the day.
public struct OrderBook: Decodable, Sendable, Equatable {
    public var orders: [Order]

    public init(orders: [Order]) { self.orders = orders }

    enum CodingKeys: String, CodingKey { case orders }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        orders = try container.decodeIfPresent([Order].self, forKey: .orders) ?? []
    }
}
