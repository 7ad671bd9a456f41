import Foundation

/// The covered call: the call proposed against the user's shares, or how many shares it needs.
public struct CoveredCallPlan: Sendable, Equatable {
    public var sharesHeld: Int
    /// One lot of the contract.
    public var sharesNeeded: Int
    /// The average price of the shares held, else the spot.
    public var costBasis: Double
    /// The call nearest delta +0.30 above the cost basis; nil when the chain lists none.
    public var call: OptionCandidate?

    /// True when the user holds at least one lot.
    public var isCovered: Bool { sharesHeld >= sharesNeeded }
    /// Lots the shares held cover.
    public var lotsCovered: Int { sharesNeeded > 0 ? max(sharesHeld, 0) / sharesNeeded : 0 }
    /// The premium over the spot.
    public func yield(spot: Double) -> Double? { call.flatMap { OptionCandidate.usable($0.premium / spot) } }
    /// (strike - basis + premium) / basis: the return when the shares are called away.
    public var returnIfCalled: Double? { call.flatMap { OptionCandidate.usable(($0.strike - costBasis + $0.premium) / costBasis) } }
    /// The basis less the premium: below it the position loses.
    public var breakeven: Double? { call.map { costBasis - $0.premium } }
}

/// The wheel: sell the put now; once assigned at its strike, sell a call above that strike.
public struct WheelPlan: Sendable, Equatable {
    public var put: OptionCandidate
    /// The call nearest delta +0.30 above the put's strike, from the same chain; nil when none is listed.
    public var call: OptionCandidate?

    /// Both premiums over the put's strike, over two periods, annualised: the cycle's yield if both legs expire as planned.
    public var cycleAnnualisedYield: Double? {
        call.flatMap { put.annualised(($0.premium + put.premium) / put.strike, periods: 2) }
    }
}

/// Picks the legs each strategy proposes from one chain.
public enum StrategyPlanner {
    /// The delta of the leg a seller is usually offered: about a 70 % chance of expiring worthless.
    public static let primaryDelta = 0.30
    /// A further, more conservative strike.
    public static let conservativeDelta = 0.20

    /// Every priceable leg of `type`, lowest strike first.
    public static func candidates(_ type: OptionType, in chain: OptionChain, context: PricingContext) -> [OptionCandidate] {
        chain.rows.compactMap { OptionCandidate(row: $0, type: type, context: context) }.sorted { $0.strike < $1.strike }
    }

    /// The candidate whose delta is nearest `delta` (signed); on a tie the one further from the money.
    public static func nearest(delta: Double, among candidates: [OptionCandidate]) -> OptionCandidate? {
        candidates.min { first, second in
            let (near, far) = (abs(first.delta - delta), abs(second.delta - delta))
            return near != far ? near < far : abs(first.delta) < abs(second.delta)
        }
    }

    /// The cash-secured puts: nearest delta -0.30, and a different strike below it nearest -0.20.
    public static func puts(_ all: [OptionCandidate]) -> [OptionCandidate] {
        guard let primary = nearest(delta: -primaryDelta, among: all) else { return [] }
        let conservative = nearest(delta: -conservativeDelta, among: all.filter { $0.strike < primary.strike })
        return [primary] + (conservative.map { [$0] } ?? [])
    }

    /// The call nearest delta +0.30 among those struck above `floor`.
    public static func call(above floor: Double, among calls: [OptionCandidate]) -> OptionCandidate? {
        nearest(delta: primaryDelta, among: calls.filter { $0.strike > floor })
    }

    /// The covered call for `shares`, with the lot size of the chain (the call's, else any leg's).
    public static func coveredCall(shares: SharesHeld, spot: Double, calls: [OptionCandidate], lotSize: Int) -> CoveredCallPlan {
        let basis = shares.averagePrice.flatMap(StockSummary.price) ?? spot
        let call = call(above: basis, among: calls)
        return CoveredCallPlan(sharesHeld: shares.quantity, sharesNeeded: call?.lotSize ?? lotSize, costBasis: basis, call: call)
    }
}
