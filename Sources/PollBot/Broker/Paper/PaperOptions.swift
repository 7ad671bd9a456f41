import BotKit
import Foundation

/// Synthetic stock options for the paper market, so the demo can run an options analysis offline.
///
/// Only the NSE listings of the paper stocks have options (an index or a BSE listing has none, which exercises the
/// "no options trade on it" path). Three monthly expiries are listed: the last Thursday of the month up to August 2025,
/// the last Tuesday from September 2025 (NSE's rule since then), a day earlier while that is a holiday. Strikes step as
/// NSE's do for the price, lot sizes aim at a contract worth about ₹15 lakh. Prices are Black-Scholes on the symbol's
/// own 60-session volatility of the paper walk with a mild put skew, at `rate`, rounded to the 0.05 tick, with bid
/// and ask around them; a chain is a function of the symbol, the expiry and the moment only.
struct PaperOptions: Sendable {
    let market: PaperMarket
    /// The paper market's risk-free rate, a year (6.5 %, India's repo rate neighbourhood).
    static let rate = 0.065
    static let listedExpiries = 3
    static let strikesEachSide = 20

    /// True when options trade on `instrument` in the paper market.
    func hasOptions(_ instrument: Instrument) -> Bool {
        instrument.exchange == "NSE" && (try? market.listing(instrument)) != nil
    }

    /// The next monthly expiries whose close is still ahead at `now`; none for a symbol without options.
    func expiries(_ instrument: Instrument, at now: Date) -> [ExpiryDate] {
        guard hasOptions(instrument) else { return [] }
        let calendar = market.calendar
        let (year, month, _) = MarketCalendar.civil(calendar.day(of: now))
        var dates: [ExpiryDate] = []
        var index = year * 12 + month - 1
        while dates.count < Self.listedExpiries, index < 2099 * 12 {
            if let expiry = Self.monthlyExpiry(year: index / 12, month: index % 12 + 1, calendar: calendar), expiry.close(in: calendar) > now {
                dates.append(expiry)
            }
            index += 1
        }
        return dates
    }

    /// The month's expiry: its last Thursday (Tuesday from September 2025), moved back over holidays.
    static func monthlyExpiry(year: Int, month: Int, calendar: MarketCalendar) -> ExpiryDate? {
        guard let first = ExpiryDate(year: year, month: month, day: 1) else { return nil }
        let nextMonth = month == 12 ? ExpiryDate(year: year + 1, month: 1, day: 1) : ExpiryDate(year: year, month: month + 1, day: 1)
        guard let nextMonth else { return nil }
        let weekday = year * 12 + month >= 2025 * 12 + 9 ? 2 : 4  // 0 is Sunday
        var day = nextMonth.dayNumber - 1
        while ((day % 7) + 7 + 4) % 7 != weekday { day -= 1 }
        while !calendar.isTradingDay(day), day > first.dayNumber { day -= 1 }
        return ExpiryDate(dayNumber: day)
    }

    /// NSE-like strike steps: finer for cheap stocks, coarser for dear ones.
    static func strikeStep(for price: Double) -> Double {
        switch price {
        case ..<250: return 2.5
        case ..<500: return 5
        case ..<1_000: return 10
        case ..<2_500: return 20
        case ..<5_000: return 50
        case ..<10_000: return 100
        default: return 250
        }
    }

    /// Shares a contract: about ₹15 lakh at the listing's reference price, in multiples of 25.
    static func lotSize(for referencePrice: Double) -> Int { max(1, Int((1_500_000 / referencePrice / 25).rounded())) * 25 }

    /// The chain of `expiry`, `strikeCount` strikes either side of the ATM strike (nil: all 20).
    func chain(_ instrument: Instrument, expiry: ExpiryDate, strikeCount: Int?, at now: Date) throws -> OptionChain {
        guard expiries(instrument, at: now).contains(expiry) else {
            throw BrokerError.server(status: 404, message: "No strikes found for \(instrument.symbol) expiring \(expiry.code). The paper market lists monthly options on its NSE stocks only.")
        }
        let listing = try market.listing(instrument)
        let quote = try market.quote(instrument, at: now)
        let spot = quote.ltp
        // The step follows the previous close, so it does not change within a session; the ladder is centred on the ATM strike.
        let step = Self.strikeStep(for: quote.previousClose > 0 ? quote.previousClose : spot)
        let ladder = (-Self.strikesEachSide...Self.strikesEachSide).map { (spot / step).rounded() * step + Double($0) * step }.filter { $0 > 0 }
        let atmIndex = ladder.indices.min { abs(ladder[$0] - spot) < abs(ladder[$1] - spot) }!
        let side = max(1, min(strikeCount ?? Self.strikesEachSide, Self.strikesEachSide))
        let chosen = max(0, atmIndex - side)...min(ladder.count - 1, atmIndex + side)
        let years = max(expiry.close(in: market.calendar).timeIntervalSince(now), 60) / (365 * 86_400)
        let volatility = baseVolatility(instrument, at: now)
        let lot = Self.lotSize(for: listing.referencePrice)
        let rows = chosen.compactMap { index -> OptionChainRow? in
            let strike = ladder[index]
            let moneyness = log(strike / spot)
            // A mild equity skew: puts below the spot dearer, calls above a little cheaper.
            let sigma = volatility * (1 - 0.5 * moneyness + 1.0 * moneyness * moneyness)
            var random = SeededRandom(instrument.symbol, expiry.dayNumber, Int(strike * 100))
            let distance = abs(index - atmIndex)
            let openLots = (2_000 * exp(-Double(distance) / 6) * (0.6 + 0.8 * random.unit())).rounded()
            // The paper market's numbers are in range (spot and strike positive, σ 12-60 % skewed, a minute left at least);
            // a strike the model still refuses is left out rather than priced at nonsense.
            guard let model = BlackScholes(spot: spot, strike: strike, years: years, volatility: sigma, rate: Self.rate) else { return nil }
            func leg(_ type: OptionType) -> OptionLeg {
                let price = model.price(type), greeks = model.greeks(type)
                let ltp = max(0.05, PaperMarket.tick(price))
                let halfSpread = max(0.05, price * 0.015 + 0.05 * Double(distance) / 4)
                let bid = (price - halfSpread) < 0.05 ? 0 : ((price - halfSpread) * 20).rounded(.down) / 20
                let ask = max(ltp, ((price + halfSpread) * 20).rounded(.up) / 20)
                let itm = type == .call ? index < atmIndex : index > atmIndex
                let label = distance == 0 ? "ATM" : "\(itm ? "ITM" : "OTM")\(distance)"
                return OptionLeg(symbol: OptionChain.symbol(instrument.symbol, expiry: expiry, strike: strike, type: type), label: label,
                                 ltp: ltp, bid: bid, ask: ask, volume: (openLots * 0.3 * Double(lot)).rounded(),
                                 openInterest: openLots * Double(lot), lotSize: lot,
                                 greeks: OptionGreeks(impliedVolatility: sigma * 100, delta: greeks.delta, gamma: greeks.gamma,
                                                      theta: greeks.thetaPerDay, vega: greeks.vegaPerPoint))
            }
            return OptionChainRow(strike: strike, call: leg(.call), put: leg(.put))
        }
        return OptionChain(underlying: instrument, spot: spot, previousClose: quote.previousClose, expiry: expiry,
                           atmStrike: ladder[atmIndex], quotesIncluded: true, greeksIncluded: true, rows: rows)
    }

    /// The annualised volatility of the last 60 sessions' closes (close-to-close log returns), plus a tenth as the
    /// premium option sellers ask, within 12-60 %.
    func baseVolatility(_ instrument: Instrument, at now: Date) -> Double {
        let closes = (1...61).reversed().compactMap { try? market.close(instrument, sessionsAgo: $0, at: now) }.filter { $0 > 0 }
        guard let volatility = StockStatistics.historicalVolatility(closes: closes, days: closes.count - 1) else { return 0.25 }
        return min(0.6, max(0.12, volatility * 1.1))
    }
}
