import Foundation

/// The option strategies the stock analysis proposes.
public enum OptionStrategy: String, Sendable, CaseIterable {
    case csp, cc, wheel

    /// How replies name it.
    public var title: String {
        switch self {
        case .csp: "Cash-secured put"
        case .cc: "Covered call"
        case .wheel: "Wheel"
        }
    }
}

/// Everything one stock analysis reads, gathered from the broker first, so that the computation does no I/O.
public struct AnalysisInput: Sendable {
    public var instrument: Instrument
    public var quote: Quote
    /// About a year of daily candles, oldest first.
    public var candles: [Candle]
    public var options: OptionsData
    /// The user's shares of the underlying on the active account (holdings plus open CNC positions), for the covered call.
    public var shares: SharesHeld
    public var strategy: OptionStrategy
    public var now: Date
    public var settings: AnalysisSettings

    public init(instrument: Instrument, quote: Quote, candles: [Candle], options: OptionsData, shares: SharesHeld,
                strategy: OptionStrategy, now: Date, settings: AnalysisSettings = AnalysisSettings()) {
        self.instrument = instrument
        self.quote = quote
        self.candles = candles
        self.options = options
        self.shares = shares
        self.strategy = strategy
        self.now = now
        self.settings = settings
    }
}

/// The options side of an analysis as the broker answered it.
public enum OptionsData: Sendable, Equatable {
    /// The chain of the expiry nearest the target.
    case chain(OptionChain)
    /// The broker lists no expiries: the stock is not in the F&O segment.
    case none
    /// The broker failed to give a chain; the stock part still stands, with this reason.
    case unavailable(String)
}

/// Shares of the underlying held, and their average cost when known.
public struct SharesHeld: Sendable, Equatable {
    public var quantity: Int
    public var averagePrice: Double?

    public init(quantity: Int, averagePrice: Double? = nil) {
        self.quantity = quantity
        self.averagePrice = averagePrice
    }
}

/// `[analysis]` in bot.toml.
public struct AnalysisSettings: Sendable, Equatable {
    /// The expiry nearest this many calendar days away is analysed.
    public var targetDays: Int = 30
    /// A year's risk-free rate as a fraction (0.065 is 6.5 %), for Black-Scholes.
    public var riskFreeRate: Double = 0.065

    public init(targetDays: Int = 30, riskFreeRate: Double = 0.065) {
        self.targetDays = targetDays
        self.riskFreeRate = riskFreeRate
    }
}
