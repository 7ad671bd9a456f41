import BotKit
import Foundation

/// One order as `orderstatus` reports it: the order book row plus how it filled.
public struct OrderStatus: Decodable, Sendable, Equatable {
    public var order: Order
    /// The average fill price; 0 until the order is complete (live OpenAlgo reads it from the trade book only then).
    public var averagePrice: Double
    /// Units filled so far, where the broker says (analyze mode); nil otherwise.
    public var filledQuantity: Double?
    /// The broker's reason for a rejection, where it gives one.
    public var rejectionReason: String?

    public init(order: Order, averagePrice: Double = 0, filledQuantity: Double? = nil, rejectionReason: String? = nil) {
        self.order = order
        self.averagePrice = averagePrice
        self.filledQuantity = filledQuantity
        self.rejectionReason = rejectionReason
    }

    enum CodingKeys: String, CodingKey {
        case averagePrice = "average_price", filledQuantity = "filled_quantity", rejectionReason = "rejection_reason"
        case priceType = "price_type"
    }

    public init(from decoder: any Decoder) throws {
        var order = try Order(from: decoder)
        guard OrderID.sane(order.orderID) != nil else {
            throw BrokerError.badResponse(.unreadable("orderstatus: the order id is not one a broker issues"))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Analyze mode's sandbox row spells it `price_type`.
        if order.priceType.isEmpty { order.priceType = try container.text(.priceType) }
        self.order = order
        (averagePrice, filledQuantity) = try UnusableValue.naming("order \(order.orderID)") {
            (try container.number(.averagePrice),
             container.contains(.filledQuantity) ? try container.number(.filledQuantity) : nil)
        }
        let reason = try container.text(.rejectionReason)
        rejectionReason = reason.isEmpty ? nil : reason
    }
}
