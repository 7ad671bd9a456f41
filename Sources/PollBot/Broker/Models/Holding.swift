import BotKit

/// One long-term holding.
public struct Holding: Decodable, Sendable, Equatable {
    public var symbol: String
    public var exchange: String
    public var product: String
    public var quantity: Double
    public var pnl: Double
    public var pnlPercent: Double

    enum CodingKeys: String, CodingKey { case symbol, exchange, product, quantity, pnl, pnlPercent = "pnlpercent" }

    public init(symbol: String, exchange: String, product: String, quantity: Double, pnl: Double, pnlPercent: Double) {
        self.symbol = symbol
        self.exchange = exchange
        self.product = product
        self.quantity = quantity
        self.pnl = pnl
        self.pnlPercent = pnlPercent
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.text(.symbol)
        exchange = try container.text(.exchange)
        product = try container.text(.product)
        (quantity, pnl, pnlPercent) = try UnusableValue.naming("\(symbol) \(exchange)") {
            (try container.number(.quantity), try container.number(.pnl), try container.number(.pnlPercent))
        }
    }
}

/// The holdings and the broker's totals over them.
public struct Holdings: Decodable, Sendable, Equatable {
    public struct Statistics: Decodable, Sendable, Equatable {
        public var value: Double
        public var invested: Double
        public var pnl: Double
        public var pnlPercent: Double

        enum CodingKeys: String, CodingKey {
            case value = "totalholdingvalue", invested = "totalinvvalue", pnl = "totalprofitandloss"
            case pnlPercent = "totalpnlpercentage"
        }

        public init(value: Double, invested: Double, pnl: Double, pnlPercent: Double) {
            self.value = value
            self.invested = invested
            self.pnl = pnl
            self.pnlPercent = pnlPercent
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            (value, invested, pnl, pnlPercent) = try UnusableValue.naming("the holdings' totals") {
                (try container.number(.value), try container.number(.invested), try container.number(.pnl), try container.number(.pnlPercent))
            }
        }
    }

    public var holdings: [Holding]
    public var statistics: Statistics

    enum CodingKeys: String, CodingKey { case holdings, statistics }

    public init(holdings: [Holding], statistics: Statistics) {
        self.holdings = holdings
        self.statistics = statistics
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        holdings = try container.decodeIfPresent([Holding].self, forKey: .holdings) ?? []
        statistics = try container.decodeIfPresent(Statistics.self, forKey: .statistics)
            ?? Statistics(value: 0, invested: 0, pnl: holdings.reduce(0) { $0 + $1.pnl }, pnlPercent: 0)
    }
}
