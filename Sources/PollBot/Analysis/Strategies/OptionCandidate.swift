import Foundation

/// What every leg of one analysis is priced against: the spot, the time left, the rate and the fallback volatility.
public struct PricingContext: Sendable, Equatable {
    public var spot: Double
    /// From the analysis moment to the expiry's close, in years of 365 days; 0 once it has passed.
    public var years: Double
    public var rate: Double
    /// HV60 (else HV20) for a leg with neither the broker's IV nor a price to imply one from.
    public var fallbackVolatility: Double?

    public init(spot: Double, years: Double, rate: Double, fallbackVolatility: Double?) {
        self.spot = spot
        self.years = years
        self.rate = rate
        self.fallbackVolatility = fallbackVolatility
    }

    /// Calendar days to expiry, fractional.
    public var days: Double { years * 365 }
}

/// One proposed option leg with the numbers the analysis states for it; every figure is a usable number.
public struct OptionCandidate: Sendable, Equatable {
    /// Where the premium comes from: only the first two are market prices.
    public enum PremiumSource: String, Sendable { case mid, lastPrice = "LTP", estimate = "est." }
    /// Where the volatility comes from.
    public enum VolatilitySource: String, Sendable { case chain, implied, historical }

    public var type: OptionType
    public var strike: Double
    public var symbol: String
    public var lotSize: Int
    public var tickSize: Double
    public var premium: Double
    public var premiumSource: PremiumSource
    /// A fraction a year (0.24 is 24 %).
    public var volatility: Double
    public var volatilitySource: VolatilitySource
    /// The broker's delta when it is within [-1, 1], else Black-Scholes at `volatility`.
    public var delta: Double
    /// Risk-neutral, from Black-Scholes at `volatility`.
    public var probabilityOutOfTheMoney: Double
    /// S·σ·√t.
    public var expectedMove: Double
    /// (strike - spot) / spot, in percent.
    public var distancePercent: Double
    /// (strike - spot) in expected moves; nil when the expected move is 0 (no time or no volatility left).
    public var distanceInMoves: Double?
    /// A short option's breakeven at expiry: strike - premium for a put, strike + premium for a call.
    public var breakeven: Double
    public var openInterestLots: Double
    public var days: Double

    /// Below this many lots of open interest a strike is called thin: NSE stock options near the money usually carry
    /// thousands of lots, and a few hundred means few counterparties, wide spreads and a hard exit before expiry.
    public static let thinOpenInterestLots = 500.0

    /// Prices the `type` leg of `row`; nil when the row has no such leg, its strike or lot size is unusable, or no
    /// volatility can be found for it.
    public init?(row: OptionChainRow, type: OptionType, context: PricingContext) {
        guard let leg = row.leg(type), leg.lotSize >= 1, let base = BlackScholes(spot: context.spot, strike: row.strike,
                                                                                 years: context.years, volatility: 0, rate: context.rate)
        else { return nil }
        let market = Self.marketPrice(leg)
        let volatility: (Double, VolatilitySource)
        if let iv = leg.greeks.map({ $0.impliedVolatility / 100 }), iv > 0, base.with(volatility: iv) != nil {
            volatility = (iv, .chain)
        } else if let price = market?.0, let iv = base.impliedVolatility(type, price: price), iv > 0 {
            volatility = (iv, .implied)
        } else if let hv = context.fallbackVolatility, base.with(volatility: hv) != nil {
            volatility = (hv, .historical)
        } else {
            return nil
        }
        guard let model = base.with(volatility: volatility.0) else { return nil }
        self.type = type
        strike = row.strike
        symbol = leg.symbol
        lotSize = leg.lotSize
        tickSize = UnusableValue.isUsable(leg.tickSize) && leg.tickSize > 0 ? leg.tickSize : 0.05
        (premium, premiumSource) = market ?? (model.price(type), .estimate)
        (self.volatility, volatilitySource) = volatility
        if let given = leg.greeks?.delta, given.isFinite, (-1...1).contains(given), (type == .put) == (given <= 0) {
            delta = given
        } else {
            delta = model.greeks(type).delta
        }
        probabilityOutOfTheMoney = model.probabilityOutOfTheMoney(type)
        expectedMove = model.expectedMove
        distancePercent = (row.strike - context.spot) / context.spot * 100
        distanceInMoves = model.expectedMove > 0 ? Self.usable((row.strike - context.spot) / model.expectedMove) : nil
        breakeven = model.breakeven(type, premium: premium)
        openInterestLots = UnusableValue.isUsable(leg.openInterest) ? max(leg.openInterest, 0) / Double(leg.lotSize) : 0
        days = context.days
    }

    /// The mid when bid and ask are both quoted, else the LTP; nil when the broker had no usable price.
    static func marketPrice(_ leg: OptionLeg) -> (Double, PremiumSource)? {
        if let mid = leg.mid, UnusableValue.isUsable(mid), mid > 0 { return (mid, .mid) }
        if UnusableValue.isUsable(leg.ltp), leg.ltp > 0 { return (leg.ltp, .lastPrice) }
        return nil
    }

    /// True when the premium is a market price, not a model's estimate.
    public var isMarketPrice: Bool { premiumSource != .estimate }

    /// True when open interest is below `thinOpenInterestLots`.
    public var isThin: Bool { openInterestLots < Self.thinOpenInterestLots }

    /// The premium of one lot.
    public var premiumPerLot: Double { premium * Double(lotSize) }

    /// The strike's value of one lot: the cash a put sale sets aside, or the shares a call sale covers.
    public var notional: Double { strike * Double(lotSize) }

    /// The premium over the strike: a put seller's return for the period on the cash set aside.
    public var periodReturn: Double { premium / strike }

    /// `fraction` for the period scaled to a year (× 365 / days, simple); nil with no time left.
    public func annualised(_ fraction: Double, periods: Double = 1) -> Double? {
        days > 0 ? Self.usable(fraction * 365 / (days * periods)) : nil
    }

    /// The premium rounded to the leg's tick: what a limit order can be placed at.
    public var tickPrice: Double { (premium / tickSize).rounded() * tickSize }

    /// `value` when it is a usable number.
    static func usable(_ value: Double) -> Double? { UnusableValue.isUsable(value) ? value : nil }
}
