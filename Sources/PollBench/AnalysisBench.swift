import BotKit
import PollBot
import Foundation
import TestSupport

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
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        print(String(format: "analysis benchmark: %@ build, compute + HTML, wheel, %d candles, 100 strikes without Greeks\n  p50 %.3f ms, p99 %.3f ms",
                     build, input.candles.count, times[times.count / 2], times[times.count * 99 / 100]))
    }

    /// `/analyze RELIANCE csp` through the whole bot, in process, on the fake Telegram and the fake OpenAlgo (quote,
    /// two years of daily candles, expiries, a chain, the chart): from the update's push to the analysis text's arrival.
    static func replies(count: Int = 20) async throws {
        let rig = try await BrokerRig.make()
        let calendar = MarketCalendar.india
        let days = calendar.tradingDays(endingAt: calendar.latestSession(at: Date()), count: 460)
        await rig.broker.setHistory(days.enumerated().map { index, day in
            let close = 1150 + Double(index) * 0.55 + 25 * sin(Double(index) / 9)
            return ["timestamp": Int(calendar.midnight(of: day).timeIntervalSince1970), "open": close - 3, "high": close + 9,
                    "low": close - 11, "close": close, "volume": 1_000_000 + index * 100]
        })
        let user = FakeUser(id: 77)
        await rig.link(user)
        var times: [Double] = []
        for round in 0..<count {
            let before = await rig.fake.sent("sendMessage").count
            let id = await rig.fake.sendText("/analyze RELIANCE csp", from: user)
            let calls = await rig.fake.waitForCalls("sendMessage", count: before + 1, timeout: .seconds(30))
            guard calls.count > before, let pushed = await rig.fake.pushTimes[id], calls[before].visibleText?.contains("Cash-secured put") == true else {
                print("  the analysis did not arrive in round \(round)")
                break
            }
            times.append(PollBench.milliseconds(pushed.duration(to: calls[before].receivedAt)))
            _ = await rig.ask("/cancel", from: user)
        }
        await rig.close()
        guard times.count > 2 else { return }
        times = Array(times.dropFirst(2)).sorted()
        print(String(format: "  /analyze RELIANCE csp on the fakes, chart included: p50 %.0f ms, max %.0f ms (%d rounds)",
                     times[times.count / 2], times.last!, times.count))
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
