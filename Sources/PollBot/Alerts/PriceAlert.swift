import BotKit
import Foundation

/// One price alert: whose, on which account and instrument, its condition, and whether it fired.
public struct PriceAlert: Sendable, Equatable {
    /// How the user put the condition; `crosses` becomes above or below from the price at arming.
    public enum Kind: String, Sendable { case above, below, crosses }
    /// The side of the level the price must reach.
    public enum Direction: String, Sendable { case above, below }
    public enum State: String, Sendable { case armed, fired, deleted }

    public var id: Int64
    public var userID: Int64
    public var chatID: Int64
    public var account: String
    public var host: String
    public var instrument: Instrument
    public var kind: Kind
    public var level: Double
    public var direction: Direction
    /// The LTP when the alert was armed (or re-armed).
    public var referencePrice: Double
    public var createdAt: Date
    public var state: State
    public var firedAt: Date?
    public var firedPrice: Double?

    /// True when `price` is a usable quote on the alert's side of its level; a missing, zero or non-finite price never is.
    public func isMet(by price: Double) -> Bool {
        guard price.isFinite, price > 0 else { return false }
        return switch direction {
        case .above: price >= level
        case .below: price <= level
        }
    }

    /// "above 1,500.00", "crosses 1,500.00 (upwards)".
    func condition(_ format: DisplayFormat) -> String {
        let level = format.number(level)
        return switch kind {
        case .above, .below: "\(kind.rawValue) \(level)"
        case .crosses: "crosses \(level) (\(direction == .above ? "upwards" : "downwards"))"
        }
    }
}

/// What arming an alert needs, checked against the LTP: `direction` for a level the price has not reached yet.
struct AlertTerms: Sendable, Equatable {
    var kind: PriceAlert.Kind
    var level: Double

    /// The side the price must reach from `ltp`, or a reason the alert would be pointless now (already met, at the level).
    func direction(from ltp: Double, instrument: Instrument, format: DisplayFormat) -> Result<PriceAlert.Direction, UserError> {
        let name = "\(instrument.symbol) \(instrument.exchange)"
        let now = "(LTP \(format.number(ltp)))"
        switch kind {
        case .above:
            return ltp < level ? .success(.above) : .failure(UserError("\(HTML.escape(name)) is already at or above \(format.number(level)) \(now)."))
        case .below:
            return ltp > level ? .success(.below) : .failure(UserError("\(HTML.escape(name)) is already at or below \(format.number(level)) \(now)."))
        case .crosses:
            guard ltp != level else { return .failure(UserError("\(HTML.escape(name)) is at \(format.number(level)) right now \(now).")) }
            return .success(ltp < level ? .above : .below)
        }
    }
}
