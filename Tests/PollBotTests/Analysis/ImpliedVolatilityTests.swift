@testable import PollBot
import Foundation
import Testing

/// The implied volatility search: the textbook value, round trips, prices no volatility reproduces, hostile prices.
@Suite struct ImpliedVolatilityTests {
    @Test func hullsExampleGivesTwentyThreeAndAHalfPercent() throws {
        // Hull 15.11: a call at 1.875 with S 21, K 20, r 10 %, 3 months implies 23.5 % (23.4513 % to 30 digits, mpmath).
        let option = try #require(BlackScholes(spot: 21, strike: 20, years: 0.25, volatility: 0.5, rate: 0.1))
        let sigma = try #require(option.impliedVolatility(.call, price: 1.875))
        #expect(abs(sigma - 0.2345129) < 1e-6)
    }

    @Test func roundTripsAcrossAGrid() throws {
        var checked = 0
        for strike in [60.0, 85, 100, 115, 150] { for years in [0.01, 0.08, 0.5, 2] { for vol in [0.03, 0.15, 0.4, 1.2, 4] {
            for kind in OptionType.allCases {
                let option = try #require(BlackScholes(spot: 100, strike: strike, years: years, volatility: vol, rate: 0.065,
                                                       dividendYield: 0.01))
                let price = option.price(kind)
                let sigma = try #require(option.impliedVolatility(kind, price: price), "\(kind) \(option)")
                // The volatility found always reproduces the price; it is the same volatility wherever the price depends on
                // it measurably (far out of the money and short, the price is ~0 for a range of volatilities).
                let again = try #require(option.with(volatility: sigma)).price(kind)
                #expect(abs(again - price) <= 1e-9, "\(kind) \(option)")
                if option.greeks(kind).vegaPerPoint * 100 > 1e-3 {
                    #expect(abs(sigma - vol) <= 1e-6, "\(kind) \(option) gave \(sigma)")
                    checked += 1
                }
            }
        } } }
        #expect(checked > 120)
    }

    @Test func pricesNoVolatilityReproducesGiveNil() throws {
        let option = try #require(BlackScholes(spot: 110, strike: 100, years: 0.5, volatility: 0.3, rate: 0.065))
        let intrinsic = 110 - 100 * exp(-0.065 * 0.5)
        // Below the discounted intrinsic value, and above the spot for a call or the discounted strike for a put.
        #expect(option.impliedVolatility(.call, price: intrinsic - 0.01) == nil)
        #expect(option.impliedVolatility(.call, price: 110.01) == nil)
        #expect(option.impliedVolatility(.put, price: 100 * exp(-0.065 * 0.5) + 0.01) == nil)
        // Exactly the intrinsic value is a volatility of 0.
        #expect(option.impliedVolatility(.call, price: intrinsic) == 0)
        #expect(option.impliedVolatility(.put, price: 0) == 0)
        // At expiry no volatility moves the price: the intrinsic value gives 0, anything else nil.
        let expired = try #require(BlackScholes(spot: 110, strike: 100, years: 0, volatility: 0.3, rate: 0.065))
        #expect(expired.impliedVolatility(.call, price: 10) == 0 && expired.impliedVolatility(.call, price: 12) == nil)
    }

    @Test func hostilePricesGiveNil() throws {
        let option = try #require(BlackScholes(spot: 100, strike: 100, years: 0.5, volatility: 0.3, rate: 0.065))
        for price in [Double.nan, .infinity, -.infinity, 1e308, -1e308, -1, -Double.leastNonzeroMagnitude] {
            #expect(option.impliedVolatility(.call, price: price) == nil, "\(price)")
            #expect(option.impliedVolatility(.put, price: price) == nil, "\(price)")
        }
    }

    @Test func extremeButLegalOptionsStillAnswerInBoundedSteps() throws {
        // Huge and tiny prices, very long and very short times: each search ends with a volatility or nil, never NaN.
        for (spot, strike) in [(1e14, 1e14), (1e-6, 1e-6), (1e14, 1e-6), (1e-6, 1e14)] { for years in [1e-20, 1e-6, 100] {
            let option = try #require(BlackScholes(spot: spot, strike: strike, years: years, volatility: 0.5, rate: 0.065))
            for kind in OptionType.allCases {
                if let sigma = option.impliedVolatility(kind, price: option.price(kind)) {
                    #expect(sigma.isFinite && (0...BlackScholes.maximumVolatility).contains(sigma))
                }
            }
        } }
    }
}
