import BotKit
import Foundation

/// One order as the broker's `placeorder` (and `modifyorder`) takes it, checked before anything is sent.
public struct OrderRequest: Sendable, Equatable, Codable {
    public var symbol: String
    public var exchange: String
    public var action: OrderAction
    /// In units, never lots.
    public var quantity: Int
    public var priceType: PriceType
    /// The limit price for LIMIT and SL; 0 for MARKET and SL-M.
    public var price: Double
    /// The trigger for SL and SL-M; 0 otherwise.
    public var triggerPrice: Double
    public var product: OrderProduct
    /// OpenAlgo's `strategy`: the bot's short client id. Live order books do not echo it (only analyze mode's do), so
    /// it cannot be the key of reconciliation.
    public var strategy: String

    /// The `strategy` sent with calls that are not about one of the bot's orders (cancel, close all, status).
    public static let defaultStrategy = "pollbot"
    /// No order of a real account needs more units (a crore); beyond it a quantity is a typo or an attack.
    public static let maxQuantity = 10_000_000
    /// No instrument costs this much a unit.
    public static let maxPrice = 1e9
    /// The exchanges OpenAlgo's `placeorder` accepts.
    public static let exchanges: Set<String> = ["NSE", "NFO", "CDS", "BSE", "BFO", "BCD", "MCX", "NCDEX", "NCO", "NSE_INDEX",
                                                "BSE_INDEX", "MCX_INDEX", "GLOBAL_INDEX", "CRYPTO"]

    public init(symbol: String, exchange: String, action: OrderAction, quantity: Int, priceType: PriceType, price: Double = 0,
                triggerPrice: Double = 0, product: OrderProduct, strategy: String = OrderRequest.defaultStrategy) {
        self.symbol = symbol
        self.exchange = exchange
        self.action = action
        self.quantity = quantity
        self.priceType = priceType
        self.price = price
        self.triggerPrice = triggerPrice
        self.product = product
        self.strategy = strategy
    }

    /// The order a draft describes, tagged with the client id `strategy`.
    public init(_ draft: OrderDraft, strategy: String) {
        self.init(symbol: draft.symbol, exchange: draft.exchange, action: draft.action, quantity: draft.quantity,
                  priceType: draft.priceType, price: draft.price ?? 0, product: draft.product, strategy: strategy)
    }

    public var instrument: Instrument { Instrument(symbol, exchange) }

    /// Throws `BrokerError.invalidRequest` naming the first field no broker would take, so nothing is sent or booked.
    public func validate() throws {
        func refuse(_ message: String) -> BrokerError { .invalidRequest(message) }
        guard Self.isPlainText(symbol, max: 50) else { throw refuse("symbol: \"\(symbol.prefix(50))\" is not a trading symbol") }
        guard Self.exchanges.contains(exchange) else { throw refuse("exchange: \(exchange.prefix(20)) is not one OpenAlgo trades on") }
        guard quantity > 0 else { throw refuse("quantity: \(quantity) is not a positive number of units") }
        guard quantity <= Self.maxQuantity else { throw refuse("quantity: \(quantity) is more than \(Self.maxQuantity) units") }
        for (name, value) in [("price", price), ("trigger_price", triggerPrice)] {
            guard value.isFinite, value >= 0, value < Self.maxPrice else { throw refuse("\(name): \(value) is not a usable price") }
        }
        let limited = [.limit, .stopLimit].contains(priceType), triggered = [.stopLimit, .stopMarket].contains(priceType)
        if limited, price <= 0 { throw refuse("price: a \(priceType.rawValue) order needs a price above 0") }
        if !limited, price != 0 { throw refuse("price: a \(priceType.rawValue) order has no price") }
        if triggered, triggerPrice <= 0 {
            throw refuse("trigger_price: a \(priceType.rawValue) order needs a trigger above 0")
        }
        guard Self.isPlainText(strategy, max: 50) else { throw refuse("strategy: not a short printable tag") }
    }

    /// OpenAlgo's fields for this order (without `apikey`).
    var fields: [String: Any] {
        ["symbol": symbol, "exchange": exchange, "action": action.rawValue, "quantity": quantity, "pricetype": priceType.rawValue,
         "price": price, "trigger_price": triggerPrice, "product": product.rawValue, "strategy": strategy]
    }

    /// 1 to `max` characters, none of them a control character or a space.
    static func isPlainText(_ text: String, max: Int) -> Bool {
        !text.isEmpty && text.count <= max && !text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " }
    }
}
