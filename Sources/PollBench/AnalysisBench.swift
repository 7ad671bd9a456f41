import BotKit
import PollBot
import Foundation

/// `pollbot-bench analysis`: `AnalysisResult.compute` plus the HTML for a 252-candle year and a 100-strike chain, timed.
enum AnalysisBench {
    static func run() throws {
        let market = PaperMarket()
        let calendar = market.calendar
        let now = calendar.time(day: calendar.latestSession(at: Date()), minute: 300)
        let instrument = Instrument("RELIANCE", "NSE")
        let days = calendar.tradingDays(endingAt: calendar.day(of: now), count: 252)
        let candles = try market.history(instrument, interval: "D", start: calendar.midnight(of: days[0]), end: now, now: now)
        let quote = try market.quote(instrument, at: now)
        let input = AnalysisInput(instrument: instrument, quote: quote, candles: Array(candles.suffix(252)),
                                  options: .chain(chain(instrument, spot: quote.ltp, now: now, calendar: calendar)),
                                  shares: SharesHeld(quantity: 0), strategy: .wheel, now: now)
        let format = DisplayFormat()
        var times: [Double] = []
        for _ in 0..<220 {
            let started = ContinuousClock.now
            _ = AnalysisResult.compute(input).html(format: format)
            times.append(PollBench.milliseconds(started.duration(to: .now)))
        }
        times = Array(times.dropFirst(20)).sorted()
        print(String(format: "analysis benchmark: release build, compute + HTML, wheel, %d candles, 100 strikes without Greeks\n  p50 %.3f ms, p99 %.3f ms",
                     input.candles.count, times[times.count / 2], times[times.count * 99 / 100]))
    }

    /// 100 strikes around the spot priced by Black-Scholes at 25 %, without the broker's Greeks, so each leg's volatility is
    /// implied from its price: the slowest path through the analysis.
    static func chain(_ instrument: Instrument, spot: Double, now: Date, calendar: MarketCalendar) -> OptionChain {
        let expiry = ExpiryDate(dayNumber: calendar.day(of: now) + 30)!
        let years = max(expiry.close(in: calendar).timeIntervalSince(now), 60) / (365 * 86_400)
        let step = (spot / 100).rounded()
        let rows = (0..<100).compactMap { index -> OptionChainRow? in
            let strike = ((spot / step).rounded() + Double(index - 50)) * step
            guard let model = BlackScholes(spot: spot, strike: strike, years: years, volatility: 0.25, rate: 0.065) else { return nil }
            func leg(_ type: OptionType) -> OptionLeg {
                let price = max(model.price(type), 0.05)
                return OptionLeg(symbol: OptionChain.symbol(instrument.symbol, expiry: expiry, strike: strike, type: type), label: "",
                                 ltp: price, bid: price * 0.99, ask: price * 1.01, volume: 1_000, openInterest: 250_000, lotSize: 250)
            }
            return OptionChainRow(strike: strike, call: leg(.call), put: leg(.put))
        }
        return OptionChain(underlying: instrument, spot: spot, previousClose: spot, expiry: expiry, atmStrike: spot,
                           quotesIncluded: true, greeksIncluded: false, rows: rows)
    }
}
