import Foundation

/// A European option under Black-Scholes-Merton: price, Greeks, the risk-neutral chance of expiring out of the money and
/// the expected move, for one spot, strike, time, volatility, rate and continuous dividend yield.
///
/// Rates, yields and volatility are fractions a year (0.065, not 6.5); time is in years. The initialiser refuses what no
/// market has (so no result is ever NaN or infinite): a spot or strike that is not a usable price or is below 1e-6, time
/// outside 0...100 years, volatility outside 0...10 (1,000 %), a rate or yield outside -1...1.
public struct BlackScholes: Sendable, Equatable {
    public let spot: Double
    public let strike: Double
    public let years: Double
    public let volatility: Double
    public let rate: Double
    public let dividendYield: Double

    /// The largest volatility accepted, and the top of the bracket the implied-volatility search uses.
    public static let maximumVolatility = 10.0

    /// Below this σ√T the option is treated as having no time value: every result is the limit as σ√T goes to 0 (the
    /// exact formulas would divide by a number that underflows). The price error this makes is below 1e-12 of the spot.
    static let degenerateSpread = 1e-12

    /// Nil when an input is outside the ranges in the type's comment.
    public init?(spot: Double, strike: Double, years: Double, volatility: Double, rate: Double, dividendYield: Double = 0) {
        func price(_ value: Double) -> Bool { UnusableValue.isUsable(value) && value >= 1e-6 }
        guard price(spot), price(strike), years.isFinite, (0...100).contains(years), volatility.isFinite,
              (0...Self.maximumVolatility).contains(volatility), rate.isFinite, (-1...1).contains(rate), dividendYield.isFinite,
              (-1...1).contains(dividendYield)
        else { return nil }
        self.spot = spot
        self.strike = strike
        self.years = years
        self.volatility = volatility
        self.rate = rate
        self.dividendYield = dividendYield
    }

    /// The same option at another volatility; nil outside 0...`maximumVolatility`.
    public func with(volatility: Double) -> BlackScholes? {
        BlackScholes(spot: spot, strike: strike, years: years, volatility: volatility, rate: rate, dividendYield: dividendYield)
    }

    /// σ√T: the standard deviation of the log price at expiry.
    var spread: Double { volatility * years.squareRoot() }
    var isDegenerate: Bool { spread < Self.degenerateSpread }
    /// e^(-qT) and e^(-rT).
    var dividendDiscount: Double { exp(-dividendYield * years) }
    var discount: Double { exp(-rate * years) }
    /// Spot and strike discounted to today: S·e^(-qT) and K·e^(-rT).
    var discountedSpot: Double { spot * dividendDiscount }
    var discountedStrike: Double { strike * discount }

    var d1: Double { (log(spot / strike) + (rate - dividendYield + volatility * volatility / 2) * years) / spread }
    var d2: Double { d1 - spread }

    /// In the no-time-value limit, how much of a call is in the money: 1 when the forward is above the strike, 0 below,
    /// ½ exactly at it (where d1 and d2 tend to 0). A put's share is 1 minus this.
    var callWeight: Double {
        discountedSpot > discountedStrike ? 1 : discountedSpot < discountedStrike ? 0 : 0.5
    }

    /// The option's fair value.
    public func price(_ kind: OptionType) -> Double {
        if isDegenerate {
            // The discounted intrinsic value: what the price tends to as σ√T goes to 0.
            return max(kind == .call ? discountedSpot - discountedStrike : discountedStrike - discountedSpot, 0)
        }
        let d1 = d1, d2 = d2
        // The difference can round a hair below 0 far out of the money; a price is never negative.
        switch kind {
        case .call: return max(discountedSpot * NormalDistribution.cdf(d1) - discountedStrike * NormalDistribution.cdf(d2), 0)
        case .put: return max(discountedStrike * NormalDistribution.cdf(-d2) - discountedSpot * NormalDistribution.cdf(-d1), 0)
        }
    }

    /// Delta, gamma, theta (per year; `thetaPerDay` per calendar day), vega and rho (per percentage point).
    public func greeks(_ kind: OptionType) -> Greeks {
        if isDegenerate { return limitGreeks(kind) }
        let d1 = d1, d2 = d2, density = NormalDistribution.pdf(d1)
        let gamma = dividendDiscount * density / (spot * spread)
        let vega = discountedSpot * density * years.squareRoot()
        // The time decay of the volatility part is the same for both kinds; the carry parts differ.
        let decay = -discountedSpot * density * volatility / (2 * years.squareRoot())
        switch kind {
        case .call:
            let theta = decay - rate * discountedStrike * NormalDistribution.cdf(d2)
                + dividendYield * discountedSpot * NormalDistribution.cdf(d1)
            return Greeks(delta: dividendDiscount * NormalDistribution.cdf(d1), gamma: gamma, thetaPerYear: theta,
                          vegaPerPoint: vega / 100, rhoPerPoint: strike * years * discount * NormalDistribution.cdf(d2) / 100)
        case .put:
            let theta = decay + rate * discountedStrike * NormalDistribution.cdf(-d2)
                - dividendYield * discountedSpot * NormalDistribution.cdf(-d1)
            return Greeks(delta: -dividendDiscount * NormalDistribution.cdf(-d1), gamma: gamma, thetaPerYear: theta,
                          vegaPerPoint: vega / 100, rhoPerPoint: -strike * years * discount * NormalDistribution.cdf(-d2) / 100)
        }
    }

    /// The Greeks of the discounted intrinsic value, the limits as σ√T goes to 0. Gamma is 0 (at the money it grows
    /// without bound instead; 0 is what holds an instant either side). Vega is 0 except exactly at the money forward, where
    /// the price grows as S·e^(-qT)·n(0)·σ√T.
    func limitGreeks(_ kind: OptionType) -> Greeks {
        let weight = kind == .call ? callWeight : 1 - callWeight
        let sign: Double = kind == .call ? 1 : -1
        let vega = discountedSpot == discountedStrike ? discountedSpot * NormalDistribution.pdf(0) * years.squareRoot() : 0
        return Greeks(delta: sign * weight * dividendDiscount, gamma: 0,
                      thetaPerYear: sign * weight * (dividendYield * discountedSpot - rate * discountedStrike),
                      vegaPerPoint: vega / 100, rhoPerPoint: sign * weight * strike * years * discount / 100)
    }

    /// The chance the option expires out of the money under the risk-neutral measure (the drift is the rate less the
    /// yield, not a forecast of the stock): N(d2) for a put, N(-d2) for a call.
    public func probabilityOutOfTheMoney(_ kind: OptionType) -> Double {
        if isDegenerate { return kind == .call ? 1 - callWeight : callWeight }
        return NormalDistribution.cdf(kind == .call ? -d2 : d2)
    }

    /// One standard deviation of the price at expiry, S·σ·√T: a move of this size either way is the "expected move".
    public var expectedMove: Double { spot * spread }

    /// The price at expiry where the position neither gains nor loses: a short put's strike less the premium, a call's
    /// strike plus it.
    public func breakeven(_ kind: OptionType, premium: Double) -> Double {
        kind == .call ? strike + premium : strike - premium
    }
}
