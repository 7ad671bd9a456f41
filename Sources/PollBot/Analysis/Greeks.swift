/// The sensitivities of one option's price, in the units a trader reads.
public struct Greeks: Sendable, Equatable {
    /// Change in price per unit change in spot.
    public var delta: Double
    /// Change in delta per unit change in spot.
    public var gamma: Double
    /// Change in price per year of calendar time passing (dV/dt = -dV/dT); usually negative for a long option.
    public var thetaPerYear: Double
    /// Change in price per percentage point of volatility (σ from 0.20 to 0.21).
    public var vegaPerPoint: Double
    /// Change in price per percentage point of the risk-free rate (r from 0.065 to 0.075).
    public var rhoPerPoint: Double

    /// Theta per calendar day (a year of 365 days), what the chain and OpenAlgo's optiongreeks report.
    public var thetaPerDay: Double { thetaPerYear / 365 }
}
