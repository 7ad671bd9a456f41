#if DEBUG
import Foundation
import PollBot

/// The Black-Scholes module: whatever the six inputs, an option it accepts (inputs within the ranges its
/// initialiser names) gives finite prices, Greeks, probabilities and breakevens, and the implied volatility of
/// its own price is a volatility in range.
enum BlackScholesFuzz {
    static func run(_ data: [UInt8]) throws {
        var input = FuzzBytes(data)
        let values = (0..<7).map { _ in input.double() }
        guard let option = BlackScholes(spot: values[0], strike: values[1], years: values[2], volatility: values[3],
                                        rate: values[4], dividendYield: values[5])
        else { return }
        for kind in OptionType.allCases {
            let price = option.price(kind)
            try require(price.isFinite && price >= -1e-9 * max(option.spot, option.strike), "\(kind) price \(price) for \(option)")
            if let bad = FiniteNumbers.firstNonFinite(in: option.greeks(kind)) {
                throw FuzzViolation(message: "\(kind) Greeks \(bad) for \(option)")
            }
            let chance = option.probabilityOutOfTheMoney(kind)
            try require(chance.isFinite && (-1e-12...1 + 1e-12).contains(chance), "\(kind) P(OTM) \(chance) for \(option)")
            let premium = values[6]
            if premium.isFinite, abs(premium) < 1e15 {
                let breakeven = option.breakeven(kind, premium: premium)
                try require(breakeven.isFinite, "\(kind) breakeven \(breakeven) at premium \(premium) for \(option)")
            }
            if let sigma = option.impliedVolatility(kind, price: price) {
                try require(sigma.isFinite && (0...BlackScholes.maximumVolatility).contains(sigma),
                            "\(kind) implied volatility \(sigma) of its own price for \(option)")
            }
        }
    }
}
#endif
