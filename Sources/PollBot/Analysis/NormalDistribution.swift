import Foundation

/// The standard normal distribution, as the option maths needs it.
public enum NormalDistribution {
    /// Cumulative distribution N(x), from `erfc` so the tails keep their relative precision (1 - N(8) is not rounded to 0).
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Density n(x) = e^(-x²/2) / √(2π).
    public static func pdf(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }
}
