@testable import PollBot
import Foundation
import Testing

/// Black-Scholes prices and Greeks against textbook values, parity, finite differences, limits and hostile inputs.
@Suite struct BlackScholesTests {
    static func option(_ spot: Double, _ strike: Double, years: Double, vol: Double, rate: Double, yield: Double = 0)
        throws -> BlackScholes {
        try #require(BlackScholes(spot: spot, strike: strike, years: years, volatility: vol, rate: rate, dividendYield: yield))
    }

    static func close(_ value: Double, _ expected: Double, within tolerance: Double = 1e-4) -> Bool {
        abs(value - expected) <= tolerance
    }

    @Test func pricesMatchTheTextbooks() throws {
        // Hull, Options, Futures and Other Derivatives, example 15.6: c = 4.7594, p = 0.8086.
        let hull = try Self.option(42, 40, years: 0.5, vol: 0.2, rate: 0.1)
        #expect(Self.close(hull.price(.call), 4.7594) && Self.close(hull.price(.put), 0.8086))
        // Haug, The Complete Guide to Option Pricing Formulas, 1.1.1: c = 2.1334.
        let haug = try Self.option(60, 65, years: 0.25, vol: 0.3, rate: 0.08)
        #expect(Self.close(haug.price(.call), 2.1334))
        // Haug 1.1.2 (Merton 1973, with a continuous dividend yield of 5 %): p = 2.4648.
        let merton = try Self.option(100, 95, years: 0.5, vol: 0.2, rate: 0.1, yield: 0.05)
        #expect(Self.close(merton.price(.put), 2.4648))
    }

    @Test func greeksMatchHullsExample() throws {
        // Hull example 19.1 (S 49, K 50, r 5 %, σ 20 %, 20 weeks): delta 0.522, gamma 0.066, theta -4.31 a year
        // (-0.0118 a calendar day), vega 12.1 (0.121 a point), rho 8.91 (0.0891 a point). To 1e-4: the same formulas
        // evaluated in 30-digit arithmetic (mpmath).
        let greeks = try Self.option(49, 50, years: 0.3846, vol: 0.2, rate: 0.05).greeks(.call)
        #expect(Self.close(greeks.delta, 0.521602) && Self.close(greeks.gamma, 0.065545))
        #expect(Self.close(greeks.thetaPerYear, -4.305390) && Self.close(greeks.thetaPerDay, -4.305390 / 365))
        #expect(Self.close(greeks.vegaPerPoint, 0.121052) && Self.close(greeks.rhoPerPoint, 0.089066))
        // The put of Hull 15.6 and the dividend-paying put of Haug 1.1.2, from the same 30-digit evaluation.
        let put = try Self.option(42, 40, years: 0.5, vol: 0.2, rate: 0.1).greeks(.put)
        #expect(Self.close(put.delta, -0.220869) && Self.close(put.gamma, 0.049963) && Self.close(put.thetaPerYear, -0.754174))
        #expect(Self.close(put.vegaPerPoint, 0.088134) && Self.close(put.rhoPerPoint, -0.050425))
        let merton = try Self.option(100, 95, years: 0.5, vol: 0.2, rate: 0.1, yield: 0.05).greeks(.put)
        #expect(Self.close(merton.delta, -0.264182) && Self.close(merton.thetaPerYear, -3.000528)
            && Self.close(merton.rhoPerPoint, -0.144415))
    }

    @Test func probabilityOutOfTheMoneyIsNOfD2AndTheExpectedMoveIsSSigmaRootT() throws {
        let hull = try Self.option(42, 40, years: 0.5, vol: 0.2, rate: 0.1)
        #expect(Self.close(hull.probabilityOutOfTheMoney(.put), 0.734946) && Self.close(hull.probabilityOutOfTheMoney(.call), 0.265054))
        #expect(Self.close(hull.expectedMove, 42 * 0.2 * 0.5.squareRoot(), within: 1e-12))
        #expect(hull.breakeven(.put, premium: 0.8086) == 40 - 0.8086 && hull.breakeven(.call, premium: 4.7594) == 44.7594)
    }

    /// The grid the parity and finite-difference tests walk: in, at and out of the money, short and long, low and high vol.
    static let grid: [BlackScholes] = {
        var options: [BlackScholes] = []
        for spot in [70.0, 95, 100, 130] { for years in [0.02, 0.25, 1, 3] { for vol in [0.05, 0.3, 0.9] {
            for (rate, yield) in [(0.0, 0.0), (0.065, 0.0), (0.065, 0.02), (-0.01, 0.03)] {
                options.append(BlackScholes(spot: spot, strike: 100, years: years, volatility: vol, rate: rate, dividendYield: yield)!)
            }
        } } }
        return options
    }()

    @Test func putCallParityHoldsAcrossTheGrid() {
        for option in Self.grid {
            // c - p = S·e^(-qT) - K·e^(-rT), and the deltas differ by e^(-qT).
            let forward = option.spot * exp(-option.dividendYield * option.years) - option.strike * exp(-option.rate * option.years)
            #expect(Self.close(option.price(.call) - option.price(.put), forward, within: 1e-10), "\(option)")
            let call = option.greeks(.call), put = option.greeks(.put)
            #expect(Self.close(call.delta - put.delta, exp(-option.dividendYield * option.years), within: 1e-12))
            #expect(call.gamma == put.gamma && call.vegaPerPoint == put.vegaPerPoint)
            #expect(Self.close(option.probabilityOutOfTheMoney(.call) + option.probabilityOutOfTheMoney(.put), 1, within: 1e-12))
        }
    }

    @Test func greeksAgreeWithCentralFiniteDifferences() throws {
        func bumped(_ option: BlackScholes, spot: Double = 0, years: Double = 0, vol: Double = 0, rate: Double = 0) -> BlackScholes {
            BlackScholes(spot: option.spot + spot, strike: option.strike, years: option.years + years,
                         volatility: option.volatility + vol, rate: option.rate + rate, dividendYield: option.dividendYield)!
        }
        for option in Self.grid { for kind in OptionType.allCases {
            let greeks = option.greeks(kind)
            // Steps scale with σ√T, the width over which the price bends, so short, calm options are not stepped across.
            let spread = option.volatility * option.years.squareRoot()
            let h = option.spot * spread * 1e-3
            let delta = (bumped(option, spot: h).price(kind) - bumped(option, spot: -h).price(kind)) / (2 * h)
            let gammaStep = option.spot * spread * 1e-2
            let gamma = (bumped(option, spot: gammaStep).greeks(kind).delta - bumped(option, spot: -gammaStep).greeks(kind).delta)
                / (2 * gammaStep)
            let t = option.years * 1e-4
            // Theta is time passing: the option with less time left minus the one with more.
            let theta = (bumped(option, years: -t).price(kind) - bumped(option, years: t).price(kind)) / (2 * t)
            let vega = (bumped(option, vol: 1e-5).price(kind) - bumped(option, vol: -1e-5).price(kind)) / 2e-5 / 100
            let rho = (bumped(option, rate: 1e-5).price(kind) - bumped(option, rate: -1e-5).price(kind)) / 2e-5 / 100
            let label = "\(kind) \(option)"
            #expect(Self.close(greeks.delta, delta, within: 1e-6), "\(label)")
            #expect(Self.close(greeks.gamma, gamma, within: 1e-5 * max(1, greeks.gamma)), "\(label)")
            #expect(Self.close(greeks.thetaPerYear, theta, within: 1e-4 * max(1, abs(theta))), "\(label)")
            #expect(Self.close(greeks.vegaPerPoint, vega, within: 1e-6), "\(label)")
            #expect(Self.close(greeks.rhoPerPoint, rho, within: 1e-6), "\(label)")
        } }
    }

    @Test func withoutTimeOrVolatilityEverythingIsTheIntrinsicLimit() throws {
        // At expiry: intrinsic value, delta 1 or 0, a sure outcome.
        let expired = try Self.option(110, 100, years: 0, vol: 0.3, rate: 0.065)
        #expect(expired.price(.call) == 10 && expired.price(.put) == 0)
        #expect(expired.greeks(.call).delta == 1 && expired.greeks(.put).delta == 0 && expired.greeks(.call).gamma == 0)
        #expect(expired.probabilityOutOfTheMoney(.call) == 0 && expired.probabilityOutOfTheMoney(.put) == 1)
        #expect(expired.expectedMove == 0)
        // No volatility: the discounted forward's intrinsic value, which the price reaches as σ shrinks.
        let still = try Self.option(100, 100, years: 1, vol: 0, rate: 0.065)
        let forwardValue = 100 - 100 * exp(-0.065)
        #expect(Self.close(still.price(.call), forwardValue, within: 1e-12) && still.price(.put) == 0)
        let nearlyStill = try Self.option(100, 100, years: 1, vol: 1e-9, rate: 0.065)
        #expect(Self.close(nearlyStill.price(.call), still.price(.call), within: 1e-9))
        #expect(Self.close(nearlyStill.greeks(.call).delta, still.greeks(.call).delta, within: 1e-9))
        #expect(Self.close(nearlyStill.greeks(.call).thetaPerYear, still.greeks(.call).thetaPerYear, within: 1e-6))
        #expect(Self.close(nearlyStill.greeks(.call).rhoPerPoint, still.greeks(.call).rhoPerPoint, within: 1e-9))
        // Exactly at the money forward (r = q) the price grows like S·n(0)·σ√T, so vega stays, and the odds are even.
        let balanced = try Self.option(100, 100, years: 1, vol: 0, rate: 0.03, yield: 0.03)
        let atTheMoney = try Self.option(100, 100, years: 1, vol: 1e-6, rate: 0.03, yield: 0.03)
        #expect(Self.close(balanced.greeks(.put).vegaPerPoint, atTheMoney.greeks(.put).vegaPerPoint, within: 1e-9))
        #expect(balanced.greeks(.put).vegaPerPoint > 0.38 && balanced.probabilityOutOfTheMoney(.put) == 0.5)
    }

    @Test func hostileInputsAreRefusedOrGiveFiniteAnswers() {
        let tiny = Double.leastNonzeroMagnitude
        let hostile: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, 0, -1, tiny, -0.0]
        let sane: [Double] = [100, 100, 0.5, 0.3, 0.065, 0]
        for position in sane.indices { for value in hostile {
            var inputs = sane
            inputs[position] = value
            let option = BlackScholes(spot: inputs[0], strike: inputs[1], years: inputs[2], volatility: inputs[3], rate: inputs[4],
                                      dividendYield: inputs[5])
            // Spot and strike take none of these. Time and volatility take 0 (and -0, and a denormal); the rate and the
            // yield take those and -1 too. What the initialiser takes must give numbers.
            let legal = switch position {
            case 2, 3: value == 0 || value == tiny
            case 4, 5: value == 0 || value == tiny || value == -1
            default: false
            }
            #expect((option != nil) == legal, "input \(position) = \(value)")
            if let option { #expect(Self.allFinite(option), "input \(position) = \(value)") }
        } }
    }

    @Test func theCornersOfTheAcceptedRangeGiveFiniteAnswers() {
        for spot in [1e-6, 1e14] { for strike in [1e-6, 1e14] { for years in [0, 1e-20, 100] { for vol in [0, 1e-15, 10] {
            for rate in [-1.0, 1] { for yield in [-1.0, 1] {
                let option = BlackScholes(spot: spot, strike: strike, years: years, volatility: vol, rate: rate, dividendYield: yield)!
                #expect(Self.allFinite(option), "\(option)")
            } }
        } } } }
    }

    /// Every output of both kinds is finite, prices are not negative and probabilities lie in 0...1.
    static func allFinite(_ option: BlackScholes) -> Bool {
        OptionType.allCases.allSatisfy { kind in
            let greeks = option.greeks(kind), price = option.price(kind), odds = option.probabilityOutOfTheMoney(kind)
            return [price, greeks.delta, greeks.gamma, greeks.thetaPerYear, greeks.vegaPerPoint, greeks.rhoPerPoint,
                    option.expectedMove].allSatisfy(\.isFinite) && price >= 0 && (0...1).contains(odds)
        }
    }
}
