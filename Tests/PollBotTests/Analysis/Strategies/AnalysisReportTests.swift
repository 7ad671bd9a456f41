@testable import PollBot
import BotKit
import Foundation
import TestSupport
import Testing

/// The analysis message: valid Telegram HTML at phone width, the no-options paths, hostile chains, and a paper chain end to end.
@Suite struct AnalysisReportTests {
    typealias F = AnalysisFixtures

    /// Valid HTML, every `<pre>` line within the table width, no NaN or infinity, under the size budget.
    func checkMessage(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .success(let visible) = TelegramHTMLValidator.parse(text) else {
            Issue.record("invalid HTML: \(text)", sourceLocation: sourceLocation)
            return
        }
        var rest = text[...]
        while let open = rest.range(of: "<pre>"), let end = rest.range(of: "</pre>", range: open.upperBound..<rest.endIndex) {
            for line in rest[open.upperBound..<end.lowerBound].split(separator: "\n") {
                let plain = line.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&amp;", with: "&")
                #expect(plain.count <= TextTable.width, "too wide: \(plain)", sourceLocation: sourceLocation)
            }
            rest = rest[end.upperBound...]
        }
        let lower = visible.lowercased()
        #expect(!lower.contains("nan") && !lower.contains("inf"), "\(visible)", sourceLocation: sourceLocation)
        #expect(text.count < 3_500, "\(text.count) characters", sourceLocation: sourceLocation)
    }

    @Test(arguments: OptionStrategy.allCases)
    func everyStrategyGivesAValidCompactMessage(strategy: OptionStrategy) {
        let text = AnalysisResult.compute(F.input(strategy, shares: SharesHeld(quantity: 250))).html(format: DisplayFormat())
        checkMessage(text)
        #expect(text.hasPrefix("<b>RELIANCE · \(strategy.title)</b>"))
        #expect(text.contains("RSI(14)") && text.contains("HV20 / HV60") && text.contains("<b>Risks</b>"))
        #expect(text.contains("29-DEC-26"))
    }

    @Test func theStockPartReadsTheQuoteAndTheCandles() throws {
        let result = AnalysisResult.compute(F.input(.csp))
        let stock = result.stock
        #expect(stock.lastPrice == 1_402 && stock.change == 12 && abs(stock.changePercent! - 12.0 / 1_390 * 100) < 1e-9)
        let candles = F.candles()
        #expect(stock.ma20 == Indicators.movingAverage(candles, period: 20).last!)
        #expect(stock.ma200 == Indicators.movingAverage(candles, period: 200).last!)
        #expect(stock.statistics == StockStatistics(candles: candles))
        let levels = Indicators.supportResistance(candles)
        #expect(stock.support == levels.support && stock.resistance == levels.resistance)
        // Too few candles: n/a, not a crash; no quote price: the last close.
        let short = AnalysisResult.compute(F.input(.csp, candles: Array(F.candles().prefix(10)),
                                                   quote: Quote(ltp: 0, open: 0, high: 0, low: 0, previousClose: 0, volume: 0)))
        #expect(short.stock.lastPrice == F.candles()[9].close && short.stock.ma20 == nil && short.stock.change == nil)
        let text = short.html(format: DisplayFormat())
        checkMessage(text)
        #expect(text.contains("n/a"))
    }

    @Test func aStockWithoutOptionsOrWithoutAChainStillGetsTheStockPart() {
        let none = AnalysisResult.compute(F.input(.csp, options: .none))
        #expect(none.outcome == .none && none.draft == nil && none.marks.isEmpty)
        let text = none.html(format: DisplayFormat())
        checkMessage(text)
        #expect(text.contains("No options trade on RELIANCE (not in the F&amp;O segment).") && text.contains("RSI(14)"))
        let failed = AnalysisResult.compute(F.input(.wheel, options: .unavailable("the broker timed out <after 10 s>")))
        let failedText = failed.html(format: DisplayFormat())
        checkMessage(failedText)
        #expect(failed.draft == nil && failedText.contains("the broker timed out &lt;after 10 s&gt;"))
    }

    @Test func hostileChainsNeverTrapNorPrintNaN() {
        let bad: [Double] = [.nan, .infinity, -.infinity, 1e308, -5, 0, 1e-300]
        var chains: [OptionChain] = []
        for value in bad {
            var chain = F.chain(spot: value)
            for index in chain.rows.indices {
                chain.rows[index].put?.bid = value
                chain.rows[index].put?.ltp = value
                chain.rows[index].call?.ask = value
                chain.rows[index].put?.greeks?.delta = value
                chain.rows[index].call?.greeks?.impliedVolatility = value
                chain.rows[index].put?.openInterest = value
                chain.rows[index].put?.tickSize = value
            }
            chain.rows[0].strike = value
            chains.append(chain)
        }
        var empty = F.chain()
        empty.rows = []
        var single = F.chain()
        single.rows = [single.rows[3]]
        var noPuts = F.chain()
        for index in noPuts.rows.indices { noPuts.rows[index].put = nil }
        var huge = F.chain()
        for index in huge.rows.indices { huge.rows[index].put?.lotSize = Int.max; huge.rows[index].call?.lotSize = Int.max }
        var iv = F.chain()
        for index in iv.rows.indices { iv.rows[index].put?.greeks?.impliedVolatility = index % 2 == 0 ? 0 : 5_000 }
        var today = F.chain()
        today.expiry = ExpiryDate(year: 2026, month: 11, day: 20)!
        var past = F.chain()
        past.expiry = ExpiryDate(year: 2026, month: 11, day: 17)!
        chains += [empty, single, noPuts, huge, iv, today, past]
        let zeroQuote = Quote(ltp: 0, open: 0, high: 0, low: 0, previousClose: 0, volume: 0)
        for chain in chains {
            for strategy in OptionStrategy.allCases {
                for quote in [F.quote, zeroQuote] {
                    for candles in [F.candles(), [], Array(F.candles().prefix(3))] {
                        let result = AnalysisResult.compute(F.input(strategy, options: .chain(chain), shares: SharesHeld(quantity: 1_000),
                                                                    candles: candles, quote: quote))
                        checkMessage(result.html(format: DisplayFormat()))
                        if let draft = result.draft {
                            #expect(draft.price.map { UnusableValue.isUsable($0) && $0 > 0 } == true)
                        }
                        #expect(result.marks.allSatisfy { UnusableValue.isUsable($0.price) })
                    }
                }
            }
        }
        // The empty chain is named as unpriceable rather than analysed with nothing in it.
        #expect(AnalysisResult.compute(F.input(.csp, options: .chain(empty))).outcome != .analysed)
    }

    @Test func aPaperChainRunsEndToEnd() async throws {
        let broker = await PaperExchange(now: { F.now }).broker(for: 1)
        let instrument = F.instrument
        let expiry = try #require(ExpiryChoice.nearest(to: 30, among: try await broker.expiries(instrument), now: F.now))
        #expect(expiry == ExpiryDate(year: 2026, month: 12, day: 29))
        let chain = try await broker.optionChain(instrument, expiry: expiry, strikeCount: nil, interestRate: 6.5)
        let candles = try await broker.history(instrument, interval: "D", start: F.now.addingTimeInterval(-400 * 86_400), end: F.now)
        let input = AnalysisInput(instrument: instrument, quote: try await broker.quote(instrument), candles: candles,
                                  options: .chain(chain), shares: SharesHeld(quantity: 0), strategy: .csp, now: F.now)
        let result = AnalysisResult.compute(input)
        let put = try #require(result.puts.first)
        #expect(abs(put.delta + 0.3) < 0.1 && put.strike < chain.spot)
        let leg = try #require(chain.row(at: put.strike)?.put)
        let draft = try #require(result.draft)
        #expect(draft.symbol == leg.symbol && draft.exchange == "NFO" && draft.action == .sell)
        #expect(draft.quantity == leg.lotSize && draft.price == leg.mid.map { ($0 / 0.05).rounded() * 0.05 })
        checkMessage(result.html(format: DisplayFormat()))
    }

    @Test func computeAndHtmlAreFastForAYearAndAHundredStrikes() {
        let input = F.input(.wheel, options: .chain(F.wideChain()), candles: F.candles(count: 252))
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = AnalysisResult.compute(input).html(format: DisplayFormat()) }
        // The issue's budget is 20 ms in a release build; a debug build under a parallel test run gets ten times that.
        #expect(elapsed < .milliseconds(200))
    }
}
