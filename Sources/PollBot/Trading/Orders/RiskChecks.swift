import BotKit
import Foundation

/// One risk check's verdict on an order, with the reason shown in the preview.
public struct RiskCheck: Sendable, Equatable {
    /// The `[trading]` key the check enforces.
    public var key: String
    public var passed: Bool
    public var reason: String
}

/// The `[trading]` checks every order passes before it may be confirmed; any failure blocks it.
public struct RiskChecks: Sendable {
    public let settings: TradingSettings
    public let calendar: MarketCalendar
    public let format: DisplayFormat

    public init(settings: TradingSettings, calendar: MarketCalendar = .india, format: DisplayFormat) {
        self.settings = settings
        self.calendar = calendar
        self.format = format
    }

    /// The value the order moves: quantity × limit price, or × LTP for a market order; nil without a usable price.
    public static func value(of draft: OrderDraft, ltp: Double?) -> Double? {
        guard let price = draft.price ?? ltp, price.isFinite, price > 0 else { return nil }
        let value = Double(draft.quantity) * price
        return value.isFinite ? value : nil
    }

    /// Each check on `draft` at `now`, given the LTP (nil when the broker gave none) and the user's orders today.
    public func evaluate(_ draft: OrderDraft, ltp: Double?, ordersToday: Int, now: Date) -> [RiskCheck] {
        let usableLTP = ltp.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
        var checks: [RiskCheck] = []
        func check(_ key: String, _ passed: Bool, _ reason: String) { checks.append(RiskCheck(key: key, passed: passed, reason: reason)) }

        check("max_quantity", draft.quantity <= settings.maxQuantity,
              "\(draft.quantity) units \(draft.quantity <= settings.maxQuantity ? "within" : "exceeds") the limit of \(settings.maxQuantity)")
        if let value = Self.value(of: draft, ltp: usableLTP) {
            let within = value <= settings.maxOrderValue
            check("max_order_value", within,
                  "value \(format.money(value)) \(within ? "within" : "exceeds") the limit of \(format.money(settings.maxOrderValue))")
        } else {
            check("max_order_value", false, "no price to value the order (the broker gave no LTP)")
        }
        let exchangeAllowed = settings.exchanges.contains(draft.exchange)
        check("exchanges", exchangeAllowed, exchangeAllowed ? "\(draft.exchange) is allowed"
              : "\(draft.exchange) is not among the allowed exchanges (\(settings.exchanges.joined(separator: " ")))")
        let productAllowed = settings.products.contains(draft.product)
        check("products", productAllowed, productAllowed ? "\(draft.product.rawValue) is allowed"
              : "\(draft.product.rawValue) is not among the allowed products (\(settings.products.map(\.rawValue).joined(separator: " ")))")
        if let price = draft.price {
            if let ltp = usableLTP {
                let distance = abs(price - ltp) / ltp * 100
                let within = distance <= settings.priceBandPercent
                check("price_band_percent", within, String(format: "limit %.2f%% from the LTP, ", distance)
                      + "\(within ? "within" : "outside") the band of \(format.number(settings.priceBandPercent))%")
            } else {
                check("price_band_percent", false, "no LTP to compare the limit price with")
            }
        } else {
            check("price_band_percent", true, "market order: no limit price")
        }
        if settings.marketHoursOnly {
            let open = calendar.isOpen(at: now)
            check("market_hours_only", open, open ? "the market is open" : "the market is closed now")
        } else {
            check("market_hours_only", true, "orders allowed outside market hours")
        }
        let underLimit = ordersToday < settings.maxOrdersPerDay
        check("max_orders_per_day", underLimit, "\(ordersToday) of \(settings.maxOrdersPerDay) orders placed today")
        return checks
    }
}
