import BotKit
import Foundation

/// bot.toml's `[trading]`: whether orders may be placed at all, by whom, and the risk limits every order is checked against.
public struct TradingSettings: Sendable, Equatable {
    /// Off unless the operator switches it on: a read-only bot never places an order.
    public var enabled = false
    /// Who may trade when enabled, besides the admins.
    public var users: [Int64] = []
    /// The largest order value (quantity × price or LTP) one order may have.
    public var maxOrderValue: Double = 500_000
    /// The most units one order may have.
    public var maxQuantity = 10_000
    /// The exchanges orders may go to.
    public var exchanges = ["NSE", "BSE", "NFO", "BFO"]
    /// The products orders may use.
    public var products: [OrderProduct] = [.cnc, .mis, .nrml]
    /// How far (percent) a limit price may be from the LTP.
    public var priceBandPercent: Double = 5
    /// Orders only while the market is open.
    public var marketHoursOnly = true
    /// The most orders one user may place in a day.
    public var maxOrdersPerDay = 20
    /// Seconds a Confirm button stays valid, counted until the press reaches the bot.
    public var confirmSeconds = 30

    public init() {}

    /// The section as written; every key optional so that defaults apply.
    struct File: Decodable {
        var enabled: Bool?
        var users: [Int64]?
        var maxOrderValue: Double?
        var maxQuantity: Int?
        var exchanges: [String]?
        var products: [String]?
        var priceBandPercent: Double?
        var marketHoursOnly: Bool?
        var maxOrdersPerDay: Int?
        var confirmSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case enabled, users, maxOrderValue = "max_order_value", maxQuantity = "max_quantity", exchanges, products
            case priceBandPercent = "price_band_percent", marketHoursOnly = "market_hours_only"
            case maxOrdersPerDay = "max_orders_per_day", confirmSeconds = "confirm_seconds"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            // TOML keeps 5 and 5.0 apart; an amount or a percentage may be written either way.
            func number(_ key: CodingKeys) throws -> Double? {
                if let whole = try? container.decodeIfPresent(Int.self, forKey: key) { return Double(whole) }
                return try container.decodeIfPresent(Double.self, forKey: key)
            }
            enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
            users = try container.decodeIfPresent([Int64].self, forKey: .users)
            maxOrderValue = try number(.maxOrderValue)
            maxQuantity = try container.decodeIfPresent(Int.self, forKey: .maxQuantity)
            exchanges = try container.decodeIfPresent([String].self, forKey: .exchanges)
            products = try container.decodeIfPresent([String].self, forKey: .products)
            priceBandPercent = try number(.priceBandPercent)
            marketHoursOnly = try container.decodeIfPresent(Bool.self, forKey: .marketHoursOnly)
            maxOrdersPerDay = try container.decodeIfPresent(Int.self, forKey: .maxOrdersPerDay)
            confirmSeconds = try container.decodeIfPresent(Int.self, forKey: .confirmSeconds)
        }
    }

    /// The settings for `file`, range-checked; `fail(key, problem)` builds the error naming the key and its line.
    static func resolve(_ file: File?, exchanges known: [String], fail: (String, String) -> ConfigError) throws -> TradingSettings {
        var settings = TradingSettings()
        guard let file else { return settings }
        settings.enabled = file.enabled ?? settings.enabled
        settings.users = file.users ?? settings.users
        if let value = file.maxOrderValue {
            guard value.isFinite, value > 0, value <= 1e12 else { throw fail("trading.max_order_value", "must be an amount above 0 and at most 10^12") }
            settings.maxOrderValue = value
        }
        if let value = file.maxQuantity {
            guard (1...OrderRequest.maxQuantity).contains(value) else {
                throw fail("trading.max_quantity", "must be from 1 to \(OrderRequest.maxQuantity) units")
            }
            settings.maxQuantity = value
        }
        if let values = file.exchanges {
            let upper = values.map { $0.uppercased() }
            guard !upper.isEmpty, upper.allSatisfy(known.contains) else {
                throw fail("trading.exchanges", "must list exchanges from \(known.joined(separator: " "))")
            }
            settings.exchanges = upper
        }
        if let values = file.products {
            let products = values.compactMap { OrderProduct(rawValue: $0.uppercased()) }
            guard !values.isEmpty, products.count == values.count else { throw fail("trading.products", "must list products from CNC MIS NRML") }
            settings.products = products
        }
        if let value = file.priceBandPercent {
            guard value.isFinite, value > 0, value <= 50 else { throw fail("trading.price_band_percent", "must be a percentage above 0 and at most 50") }
            settings.priceBandPercent = value
        }
        settings.marketHoursOnly = file.marketHoursOnly ?? settings.marketHoursOnly
        if let value = file.maxOrdersPerDay {
            guard (1...10_000).contains(value) else { throw fail("trading.max_orders_per_day", "must be from 1 to 10000") }
            settings.maxOrdersPerDay = value
        }
        if let value = file.confirmSeconds {
            guard (5...600).contains(value) else { throw fail("trading.confirm_seconds", "must be from 5 to 600 seconds") }
            settings.confirmSeconds = value
        }
        return settings
    }

    /// What each key holds, for error messages.
    static let expectedTypes: [String: String] = [
        "trading.enabled": "true or false", "trading.users": "a list of user ids, like [123, 456]",
        "trading.max_order_value": "an amount, like 500000", "trading.max_quantity": "a whole number of units",
        "trading.exchanges": "a list of quoted exchanges, like [\"NSE\"]", "trading.products": "a list of quoted products, like [\"CNC\"]",
        "trading.price_band_percent": "a percentage, like 5", "trading.market_hours_only": "true or false",
        "trading.max_orders_per_day": "a whole number", "trading.confirm_seconds": "a whole number of seconds",
    ]
}
