import BotKit

/// One line of the position book; quantity 0 means the position is closed.
public struct Position: Decodable, Sendable, Equatable {
    public var symbol: String
    public var exchange: String
    public var product: String
    /// Signed: negative is short.
    public var quantity: Double
    public var averagePrice: Double
    public var ltp: Double
    public var pnl: Double

    enum CodingKeys: String, CodingKey {
        case symbol, exchange, product, quantity, averagePrice = "average_price", ltp, pnl
    }

    public init(symbol: String, exchange: String, product: String, quantity: Double, averagePrice: Double, ltp: Double, pnl: Double) {
        self.symbol = symbol
        self.exchange = exchange
        self.product = product
        self.quantity = quantity
        self.averagePrice = averagePrice
        self.ltp = ltp
        self.pnl = pnl
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.text(.symbol)
        exchange = try container.text(.exchange)
        product = try container.text(.product)
        (quantity, averagePrice, ltp, pnl) = try UnusableValue.naming("\(symbol) \(exchange)") {
            (try container.number(.quantity), try container.number(.averagePrice), try container.number(.ltp), try container.number(.pnl))
        }
    }

    /// Closed positions stay in the book with quantity 0 (as a number or "0").
    public var isOpen: Bool { quantity != 0 }
}
