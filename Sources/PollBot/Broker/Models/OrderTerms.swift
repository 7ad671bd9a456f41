/// Buy or sell, as OpenAlgo's `action` field spells it.
public enum OrderAction: String, Sendable, Hashable, CaseIterable, Codable {
    case buy = "BUY", sell = "SELL"
}

/// How an order is priced, as OpenAlgo's `pricetype` field spells it.
public enum PriceType: String, Sendable, Hashable, CaseIterable, Codable {
    /// At the best price available now.
    case market = "MARKET"
    /// At `price` or better.
    case limit = "LIMIT"
    /// A stop-loss limit: triggers at `trigger_price`, then rests at `price`.
    case stopLimit = "SL"
    /// A stop-loss market: triggers at `trigger_price`, then fills at market.
    case stopMarket = "SL-M"
}

/// The product an order is placed under, as OpenAlgo's `product` field spells it.
public enum OrderProduct: String, Sendable, Hashable, CaseIterable, Codable {
    /// Cash and carry: equity delivery.
    case cnc = "CNC"
    /// Normal: F&O carried overnight.
    case nrml = "NRML"
    /// Margin intraday: squared off the same day.
    case mis = "MIS"
}
