@testable import PollBot
import Foundation

/// Inputs built in code for the analysis tests: a deterministic year of candles and chains whose deltas are known.
enum AnalysisFixtures {
    static let now = try! Date.ISO8601FormatStyle().parse("2026-11-20T08:00:00Z")  // a Friday, 13:30 IST
    static let expiry = ExpiryDate(year: 2026, month: 12, day: 29)!
    static let instrument = Instrument("RELIANCE", "NSE")
    static let lot = 250

    /// 260 daily candles oldest first, a gentle rise with a wave, each bar 1 % high to low.
    static func candles(count: Int = 260) -> [Candle] {
        (0..<count).map { index in
            let close = 1_300 + Double(index) * 0.4 + 40 * sin(Double(index) / 9)
            return Candle(time: now.addingTimeInterval(Double(index - count) * 86_400), open: close, high: close * 1.005,
                          low: close * 0.995, close: close, volume: 1_000_000)
        }
    }

    static let quote = Quote(ltp: 1_402, open: 1_390, high: 1_410, low: 1_385, previousClose: 1_390, volume: 2_000_000)

    /// A put leg with the broker's Greeks (IV 25 %, this delta) and these prices.
    static func leg(_ strike: Double, _ type: OptionType, delta: Double?, bid: Double = 0, ask: Double = 0, ltp: Double = 0,
                    oi: Double = 250_000, iv: Double = 25) -> OptionLeg {
        OptionLeg(symbol: OptionChain.symbol("RELIANCE", expiry: expiry, strike: strike, type: type), label: "", ltp: ltp, bid: bid,
                  ask: ask, volume: 1_000, openInterest: oi, lotSize: lot, tickSize: 0.05,
                  greeks: delta.map { OptionGreeks(impliedVolatility: iv, delta: $0, gamma: 0, theta: 0, vega: 0) })
    }

    /// Put deltas by strike: 1380 is nearest -0.30, 1360 nearest -0.20 below it. Call deltas: 1440 is nearest +0.30.
    static let putDeltas: [Double: Double] = [1_300: -0.08, 1_340: -0.16, 1_360: -0.21, 1_380: -0.28, 1_400: -0.33, 1_420: -0.45, 1_440: -0.55]
    static let callDeltas: [Double: Double] = [1_300: 0.92, 1_340: 0.84, 1_360: 0.79, 1_380: 0.72, 1_400: 0.60, 1_420: 0.45, 1_440: 0.31, 1_460: 0.22]

    /// The known-delta chain, every leg quoted bid 20 / ask 21.1 (mid 20.55) unless `prices` is false.
    static func chain(prices: Bool = true, spot: Double = 1_402) -> OptionChain {
        let strikes = Set(putDeltas.keys).union(callDeltas.keys).sorted()
        let rows = strikes.map { strike in
            OptionChainRow(strike: strike,
                           call: callDeltas[strike].map { leg(strike, .call, delta: $0, bid: prices ? 20 : 0, ask: prices ? 21.1 : 0) },
                           put: putDeltas[strike].map { leg(strike, .put, delta: $0, bid: prices ? 20 : 0, ask: prices ? 21.1 : 0) })
        }
        return OptionChain(underlying: instrument, spot: spot, previousClose: 1_390, expiry: expiry, atmStrike: 1_400,
                           quotesIncluded: prices, greeksIncluded: true, rows: rows)
    }

    static func input(_ strategy: OptionStrategy, options: OptionsData = .chain(chain()), shares: SharesHeld = SharesHeld(quantity: 0),
                      candles: [Candle] = candles(), quote: Quote = quote) -> AnalysisInput {
        AnalysisInput(instrument: instrument, quote: quote, candles: candles, options: options, shares: shares, strategy: strategy, now: now)
    }

    /// The years from `now` to the fixture expiry's close.
    static var years: Double { expiry.close().timeIntervalSince(now) / (365 * 86_400) }

    /// `count` strikes 10 apart around the spot, priced by Black-Scholes at 25 % without the broker's Greeks, so every leg's
    /// volatility is implied from its price: the slowest path.
    static func wideChain(count: Int = 100) -> OptionChain {
        let rows = (0..<count).map { index -> OptionChainRow in
            let strike = 1_402 + Double(index - count / 2) * 10
            let model = BlackScholes(spot: 1_402, strike: strike, years: years, volatility: 0.25, rate: 0.065)!
            func priced(_ type: OptionType) -> OptionLeg {
                let price = model.price(type)
                return leg(strike, type, delta: nil, bid: price * 0.99, ask: price * 1.01, ltp: price)
            }
            return OptionChainRow(strike: strike, call: priced(.call), put: priced(.put))
        }
        return OptionChain(underlying: instrument, spot: 1_402, previousClose: 1_390, expiry: expiry, atmStrike: 1_402,
                           quotesIncluded: true, greeksIncluded: false, rows: rows)
    }
}
