import Foundation

/// An order the bot means to place, before preview, risk checks and confirmation: what /buy, /sell and the stock
/// analysis's Execute step produce, and the only input the order flow accepts.
public struct OrderDraft: Sendable, Equatable, Codable {
    public var symbol: String
    public var exchange: String
    public var action: OrderAction
    /// In units (shares or contracts' underlying units), never lots.
    public var quantity: Int
    /// The contract's lot size (1 for a stock): the quantity must be a whole number of lots.
    public var lotSize: Int
    public var priceType: PriceType
    /// The limit price for `.limit` and `.stopLimit`, nil for market orders.
    public var price: Double?
    public var product: OrderProduct
    /// Where the draft came from, for the preview and the audit ("stock analysis: cash-secured put on RELIANCE").
    public var origin: String

    public init(symbol: String, exchange: String, action: OrderAction, quantity: Int, lotSize: Int = 1, priceType: PriceType,
                price: Double? = nil, product: OrderProduct, origin: String) {
        self.symbol = symbol
        self.exchange = exchange
        self.action = action
        self.quantity = quantity
        self.lotSize = lotSize
        self.priceType = priceType
        self.price = price
        self.product = product
        self.origin = origin
    }

    public var instrument: Instrument { Instrument(symbol, exchange) }

    /// Whole lots in the quantity, nil when it is not a whole number of lots.
    public var lots: Int? { lotSize > 0 && quantity % lotSize == 0 ? quantity / lotSize : nil }
}
