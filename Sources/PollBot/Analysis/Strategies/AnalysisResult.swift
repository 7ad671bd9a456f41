import Foundation

/// One stock analysis, computed from an `AnalysisInput` without I/O: the stock part, the proposed option legs, the
/// chart marks and the order Execute would place.
public struct AnalysisResult: Sendable, Equatable {
    /// What became of the options side.
    public enum OptionsOutcome: Sendable, Equatable {
        /// The chain was read and legs proposed.
        case analysed
        /// Not in the F&O segment.
        case none
        /// The broker gave no chain, for this reason.
        case unavailable(String)
        /// A chain came but nothing in it could be priced, for this reason.
        case unpriceable(String)
    }

    public var instrument: Instrument
    public var strategy: OptionStrategy
    public var stock: StockSummary
    public var outcome: OptionsOutcome
    /// The chain's expiry, when one came.
    public var expiry: ExpiryDate?
    /// The spot, time and rate the legs were priced with, when they were.
    public var pricing: PricingContext?
    /// False when the chain's legs all had a price of 0: the broker's option quotes failed.
    public var brokerSentPrices: Bool
    /// The cash-secured puts (the primary near delta -0.30 first, then the conservative one); the wheel's put alone.
    public var puts: [OptionCandidate]
    public var coveredCall: CoveredCallPlan?
    public var wheel: WheelPlan?
    /// Strikes the broker sent with unusable values, dropped when the chain was read.
    public var skippedStrikes: Int

    /// Runs the whole analysis; pure and deterministic.
    public static func compute(_ input: AnalysisInput) -> AnalysisResult {
        var result = AnalysisResult(instrument: input.instrument, strategy: input.strategy,
                                    stock: StockSummary(instrument: input.instrument, quote: input.quote, candles: input.candles),
                                    outcome: .analysed, brokerSentPrices: true, puts: [], skippedStrikes: 0)
        switch input.options {
        case .none: result.outcome = .none
        case .unavailable(let reason): result.outcome = .unavailable(reason)
        case .chain(let chain): result.plan(chain, input: input)
        }
        return result
    }

    private mutating func plan(_ chain: OptionChain, input: AnalysisInput) {
        expiry = chain.expiry
        brokerSentPrices = chain.hasPrices
        skippedStrikes = chain.skipped.count
        // The chain's spot is 0 when the broker could not quote the underlying; the quote's (or the last close) stands in.
        guard let spot = StockSummary.price(chain.spot) ?? stock.lastPrice else {
            outcome = .unpriceable("The broker sent no price for \(instrument.symbol), so its options cannot be priced.")
            return
        }
        let seconds = chain.expiry.close().timeIntervalSince(input.now)
        let context = PricingContext(spot: spot, years: seconds.isFinite ? max(seconds, 0) / (365 * 86_400) : 0,
                                     rate: input.settings.riskFreeRate, fallbackVolatility: stock.fallbackVolatility)
        pricing = context
        let allPuts = strategy == .cc ? [] : StrategyPlanner.candidates(.put, in: chain, context: context)
        let allCalls = strategy == .csp ? [] : StrategyPlanner.candidates(.call, in: chain, context: context)
        switch strategy {
        case .csp:
            puts = StrategyPlanner.puts(allPuts)
        case .cc:
            coveredCall = StrategyPlanner.coveredCall(shares: input.shares, spot: spot, calls: allCalls, lotSize: chain.lotSize ?? 1)
        case .wheel:
            puts = Array(StrategyPlanner.puts(allPuts).prefix(1))
            wheel = puts.first.map { WheelPlan(put: $0, call: StrategyPlanner.call(above: $0.strike, among: allCalls)) }
        }
        if puts.isEmpty && coveredCall?.call == nil {
            outcome = .unpriceable("No strike of the \(chain.expiry) chain could be priced (no usable strike, price or volatility).")
        }
    }

    /// The leg Execute would sell: the primary put (CSP, wheel) or the covered call when the shares cover a lot.
    public var executableLeg: OptionCandidate? {
        switch strategy {
        case .csp, .wheel: puts.first
        case .cc: coveredCall?.isCovered == true ? coveredCall?.call : nil
        }
    }

    /// What Execute would place: SELL one lot of `executableLeg` at a limit of its tick-rounded market premium, NRML, on
    /// the derivatives exchange; nil without such a leg or when its premium is only an estimate.
    public var draft: OrderDraft? {
        guard let leg = executableLeg, leg.isMarketPrice, leg.tickPrice > 0 else { return nil }
        return OrderDraft(symbol: leg.symbol, exchange: OpenAlgoClient.derivativesSegment(of: instrument.exchange), action: .sell,
                          quantity: leg.lotSize, lotSize: leg.lotSize, priceType: .limit, price: leg.tickPrice, product: .nrml,
                          origin: "stock analysis: \(strategy.title.lowercased()) on \(instrument.symbol)")
    }

    /// The proposed strikes and breakevens, for the daily chart.
    public var marks: [ChartMark] {
        var marks: [ChartMark] = []
        for put in puts {
            marks.append(ChartMark(price: put.strike, label: "Put \(Self.label(put.strike))", kind: .strike))
            marks.append(ChartMark(price: put.breakeven, label: String(format: "BE %.2f", put.breakeven), kind: .breakeven))
        }
        if let call = coveredCall?.call, let breakeven = coveredCall?.breakeven {
            marks.append(ChartMark(price: call.strike, label: "Call \(Self.label(call.strike))", kind: .strike))
            marks.append(ChartMark(price: breakeven, label: String(format: "BE %.2f", breakeven), kind: .breakeven))
        }
        if let call = wheel?.call {
            marks.append(ChartMark(price: call.strike, label: "Call \(Self.label(call.strike))", kind: .strike))
        }
        return marks
    }

    /// "1400" or "292.50": a strike as the chart labels it.
    static func label(_ strike: Double) -> String {
        strike == strike.rounded() && strike.magnitude < 1e15 ? String(format: "%.0f", strike) : String(format: "%.2f", strike)
    }
}
