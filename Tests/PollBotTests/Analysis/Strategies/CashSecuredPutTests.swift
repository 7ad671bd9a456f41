@testable import PollBot
import Foundation
import Testing

/// The cash-secured put: which strikes, which premium, and every number stated for a leg.
@Suite struct CashSecuredPutTests {
    typealias F = AnalysisFixtures

    func close(_ value: Double?, _ expected: Double, _ tolerance: Double = 1e-9) -> Bool {
        value.map { abs($0 - expected) <= tolerance } ?? false
    }

    @Test func thePutsNearestDeltaMinusThirtyAndMinusTwentyAreChosen() throws {
        let result = AnalysisResult.compute(F.input(.csp))
        #expect(result.outcome == .analysed)
        #expect(result.puts.map(\.strike) == [1_380, 1_360])
        #expect(result.puts.map(\.delta) == [-0.28, -0.21])
        #expect(result.puts.allSatisfy { $0.volatilitySource == .chain && $0.volatility == 0.25 })
    }

    @Test func everyNumberOfTheLegFollowsItsFormula() throws {
        let put = try #require(AnalysisResult.compute(F.input(.csp)).puts.first)
        #expect(put.premiumSource == .mid && close(put.premium, 20.55))
        #expect(close(put.breakeven, 1_380 - 20.55))
        #expect(close(put.notional, 1_380 * 250))
        #expect(close(put.periodReturn, 20.55 / 1_380))
        #expect(close(put.days, F.years * 365))
        #expect(close(put.annualised(put.periodReturn), 20.55 / 1_380 * 365 / (F.years * 365)))
        #expect(close(put.distancePercent, (1_380 - 1_402) / 1_402 * 100))
        let model = try #require(BlackScholes(spot: 1_402, strike: 1_380, years: F.years, volatility: 0.25, rate: 0.065))
        #expect(close(put.expectedMove, 1_402 * 0.25 * F.years.squareRoot()))
        #expect(close(put.distanceInMoves, -22 / model.expectedMove))
        #expect(close(put.probabilityOutOfTheMoney, model.probabilityOutOfTheMoney(.put)))
        #expect(close(put.openInterestLots, 1_000) && !put.isThin)
    }

    @Test func premiumIsTheMidThenTheLastPriceThenAnEstimate() throws {
        let context = PricingContext(spot: 1_402, years: F.years, rate: 0.065, fallbackVolatility: 0.3)
        func premium(_ leg: OptionLeg) -> OptionCandidate? {
            OptionCandidate(row: OptionChainRow(strike: 1_380, call: nil, put: leg), type: .put, context: context)
        }
        let mid = try #require(premium(F.leg(1_380, .put, delta: -0.3, bid: 19, ask: 20, ltp: 25)))
        #expect(mid.premiumSource == .mid && mid.premium == 19.5)
        // No bid: the LTP. A crossed quote (ask below bid) is no mid either.
        let last = try #require(premium(F.leg(1_380, .put, delta: -0.3, bid: 0, ask: 20, ltp: 25)))
        #expect(last.premiumSource == .lastPrice && last.premium == 25)
        #expect(premium(F.leg(1_380, .put, delta: -0.3, bid: 21, ask: 20, ltp: 25))?.premiumSource == .lastPrice)
        // No price at all: Black-Scholes at the chain's IV, marked as an estimate.
        let estimate = try #require(premium(F.leg(1_380, .put, delta: -0.3)))
        let model = try #require(BlackScholes(spot: 1_402, strike: 1_380, years: F.years, volatility: 0.25, rate: 0.065))
        #expect(estimate.premiumSource == .estimate && close(estimate.premium, model.price(.put)) && !estimate.isMarketPrice)
        // No broker IV: implied from the price; no price either: HV.
        let implied = try #require(premium(F.leg(1_380, .put, delta: nil, bid: 0, ask: 0, ltp: model.price(.put))))
        #expect(implied.volatilitySource == .implied && close(implied.volatility, 0.25, 1e-6))
        #expect(close(implied.delta, model.greeks(.put).delta, 1e-6))
        let historical = try #require(premium(F.leg(1_380, .put, delta: nil)))
        #expect(historical.volatilitySource == .historical && historical.volatility == 0.3)
    }

    @Test func theDraftSellsOneLotOfThePrimaryPutAtTheTickRoundedMid() throws {
        var chain = F.chain()
        let index = try #require(chain.rows.firstIndex { $0.strike == 1_380 })
        chain.rows[index].put?.bid = 20.05
        chain.rows[index].put?.ask = 20.2  // mid 20.125 rounds to the 0.05 tick: 20.15
        let draft = try #require(AnalysisResult.compute(F.input(.csp, options: .chain(chain))).draft)
        #expect(draft.symbol == "RELIANCE29DEC261380PE" && draft.exchange == "NFO" && draft.action == .sell)
        #expect(draft.quantity == 250 && draft.lotSize == 250 && draft.lots == 1)
        #expect(draft.priceType == .limit && close(draft.price, 20.15) && draft.product == .nrml)
        #expect(draft.origin == "stock analysis: cash-secured put on RELIANCE")
        // A BSE underlying trades its options on BFO.
        var bse = F.input(.csp)
        bse.instrument = Instrument("RELIANCE", "BSE")
        #expect(AnalysisResult.compute(bse).draft?.exchange == "BFO")
    }

    @Test func aChainWithoutPricesGivesEstimatesAndNoDraft() throws {
        let result = AnalysisResult.compute(F.input(.csp, options: .chain(F.chain(prices: false))))
        #expect(!result.brokerSentPrices && result.puts.count == 2 && result.puts.allSatisfy { $0.premiumSource == .estimate })
        #expect(result.draft == nil)
        let text = result.html(format: DisplayFormat())
        #expect(text.contains("est.") && text.contains("The broker sent no option prices"))
    }

    @Test func marksAreTheStrikesAndBreakevens() {
        let marks = AnalysisResult.compute(F.input(.csp)).marks
        #expect(marks.map(\.label) == ["Put 1380", "BE 1359.45", "Put 1360", "BE 1339.45"])
        #expect(marks.map(\.kind) == [.strike, .breakeven, .strike, .breakeven])
        for (mark, price) in zip(marks, [1_380, 1_359.45, 1_360, 1_339.45]) { #expect(close(mark.price, price)) }
    }
}
