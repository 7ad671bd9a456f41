import Foundation

extension BlackScholes {
    /// The most steps the search takes. Bisection alone halves the 0...10 bracket to 1e-14 in 50 steps; Newton's steps
    /// usually finish in under 10.
    static let impliedVolatilitySteps = 100

    /// The volatility at which this option (its own `volatility` ignored) is worth `price`, found by Newton's method
    /// kept inside a bisection bracket on 0...`maximumVolatility`, in at most `impliedVolatilitySteps` steps.
    ///
    /// Nil when no volatility reproduces the price: a price that is not finite, is below the discounted intrinsic value
    /// (what σ = 0 gives), or above what σ = 10 gives (a call worth more than the discounted spot, a put more than the
    /// discounted strike). A price equal to the intrinsic value gives 0, and so does any such price at expiry, when no
    /// volatility changes anything.
    public func impliedVolatility(_ kind: OptionType, price target: Double) -> Double? {
        guard target.isFinite, target >= 0, let floor = with(volatility: 0), let ceiling = with(volatility: Self.maximumVolatility)
        else { return nil }
        // Prices closer than this are equal: the rounding of the formulas grows with the amounts in them.
        let tolerance = 1e-12 * max(discountedSpot, discountedStrike)
        let lowest = floor.price(kind), highest = ceiling.price(kind)
        if abs(target - lowest) <= tolerance { return 0 }
        guard target > lowest, target <= highest + tolerance else { return nil }
        var low = 0.0, high = Self.maximumVolatility
        // Brenner and Subrahmanyam's at-the-money estimate, σ ≈ price·√(2π/T)/S, is a good first guess near the money.
        var sigma = min(max(target * (2 * Double.pi / years).squareRoot() / spot, 0.01), 2)
        for _ in 0..<Self.impliedVolatilitySteps {
            guard let option = with(volatility: sigma) else { return nil }
            let error = option.price(kind) - target
            if abs(error) <= tolerance { return sigma }
            // The price rises with volatility, so the sign of the error says which half holds the answer.
            if error > 0 { high = sigma } else { low = sigma }
            if high - low <= 1e-14 { return sigma }
            let vega = option.greeks(kind).vegaPerPoint * 100
            let newton = sigma - error / vega
            sigma = vega > 0 && newton > low && newton < high ? newton : (low + high) / 2
        }
        return sigma
    }
}
