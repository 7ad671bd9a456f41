import BotKit

/// The cash side of an account (OpenAlgo `funds`).
public struct Funds: Decodable, Sendable, Equatable {
    public var availableCash: Double
    public var collateral: Double
    public var realizedPnL: Double
    public var unrealizedPnL: Double
    public var usedMargin: Double

    enum CodingKeys: String, CodingKey {
        case availableCash = "availablecash", collateral, realizedPnL = "m2mrealized"
        case unrealizedPnL = "m2munrealized", usedMargin = "utiliseddebits"
    }

    public init(availableCash: Double, collateral: Double, realizedPnL: Double, unrealizedPnL: Double, usedMargin: Double) {
        self.availableCash = availableCash
        self.collateral = collateral
        self.realizedPnL = realizedPnL
        self.unrealizedPnL = unrealizedPnL
        self.usedMargin = usedMargin
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        (availableCash, collateral, realizedPnL, unrealizedPnL, usedMargin) = try UnusableValue.naming("the funds") {
            (try container.number(.availableCash), try container.number(.collateral), try container.number(.realizedPnL),
             try container.number(.unrealizedPnL), try container.number(.usedMargin))
        }
    }
}
