@testable import PollBot
import Foundation
import Testing

/// The covered call (shares held or not) and the wheel's two legs and cycle yield.
@Suite struct CoveredCallAndWheelTests {
    typealias F = AnalysisFixtures

    func close(_ value: Double?, _ expected: Double) -> Bool { value.map { abs($0 - expected) <= 1e-9 } ?? false }

    @Test func withoutALotOfSharesTheReplySaysHowManyAndThereIsNoDraft() throws {
        let result = AnalysisResult.compute(F.input(.cc, shares: SharesHeld(quantity: 100, averagePrice: 1_250)))
        let plan = try #require(result.coveredCall)
        #expect(!plan.isCovered && plan.sharesNeeded == 250 && plan.lotsCovered == 0)
        #expect(result.draft == nil)
        #expect(result.html(format: DisplayFormat()).contains("You hold 100 shares; a covered call needs 250 (1 lot)."))
    }

    @Test func withALotTheCallAboveTheBasisIsSoldAndItsNumbersFollow() throws {
        let result = AnalysisResult.compute(F.input(.cc, shares: SharesHeld(quantity: 600, averagePrice: 1_350)))
        let plan = try #require(result.coveredCall)
        let call = try #require(plan.call)
        #expect(plan.isCovered && plan.lotsCovered == 2 && plan.costBasis == 1_350)
        #expect(call.strike == 1_440 && call.delta == 0.31 && close(call.premium, 20.55))
        #expect(close(plan.yield(spot: 1_402), 20.55 / 1_402))
        #expect(close(plan.returnIfCalled, (1_440 - 1_350 + 20.55) / 1_350))
        #expect(close(plan.breakeven, 1_350 - 20.55))
        let draft = try #require(result.draft)
        #expect(draft.symbol == "RELIANCE29DEC261440CE" && draft.action == .sell && draft.quantity == 250)
        #expect(draft.origin == "stock analysis: covered call on RELIANCE")
        #expect(result.html(format: DisplayFormat()).contains("Max loss"))
    }

    @Test func aBasisAboveEveryStrikeLeavesNoCall() throws {
        // Bought at 1,500: no listed call is above the cost, so no call to sell and no draft; the spot is the basis without a price.
        let result = AnalysisResult.compute(F.input(.cc, shares: SharesHeld(quantity: 250, averagePrice: 1_500)))
        #expect(result.coveredCall?.call == nil && result.draft == nil)
        let noPrice = AnalysisResult.compute(F.input(.cc, shares: SharesHeld(quantity: 250, averagePrice: .nan)))
        #expect(noPrice.coveredCall?.costBasis == 1_402 && noPrice.coveredCall?.call?.strike == 1_440)
    }

    @Test func theWheelSellsThePutThenACallAboveItsStrike() throws {
        let result = AnalysisResult.compute(F.input(.wheel))
        let wheel = try #require(result.wheel)
        #expect(wheel.put.strike == 1_380 && result.puts.map(\.strike) == [1_380])
        // Calls above 1,380: 1,400 (0.60), 1,420 (0.45), 1,440 (0.31), 1,460 (0.22): 1,440 is nearest +0.30.
        #expect(wheel.call?.strike == 1_440)
        let days = F.years * 365
        #expect(close(wheel.cycleAnnualisedYield, (20.55 + 20.55) / 1_380 * 365 / (2 * days)))
        #expect(result.draft?.symbol == "RELIANCE29DEC261380PE")
        #expect(result.draft?.origin == "stock analysis: wheel on RELIANCE")
        let text = result.html(format: DisplayFormat())
        #expect(text.contains("Rules:") && text.contains("If assigned at 1,380.00"))
        #expect(result.marks.map(\.label) == ["Put 1380", "BE 1359.45", "Call 1440"])
    }
}
