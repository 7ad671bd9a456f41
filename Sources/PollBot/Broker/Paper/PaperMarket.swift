import BotKit
import Foundation
import Synchronization

/// Deterministic synthetic market data: a seeded random walk per symbol.
///
/// Each session's close follows a daily random walk (1.4% a day) from a
/// reference price on 2025-01-01; inside a session, one-minute bars follow a
/// Brownian bridge from the open to that close, with a U-shaped volume curve.
/// Daily bars aggregate the minute bars, so a day's quote, its intraday chart
/// and its daily candle agree. The same symbol and day always give the same bars.
public final class PaperMarket: Sendable {
    /// A symbol the paper market lists.
    public struct Listing: Sendable {
        public var symbol: String
        public var exchange: String
        public var referencePrice: Double
        /// Shares a day; 0 for indices, which have no volume.
        public var dailyVolume: Double
    }

    public let calendar: MarketCalendar
    /// The bar sizes `history` offers.
    public static let intervals = Intervals(["1m", "3m", "5m", "10m", "15m", "30m", "1h", "D"])
    private let listings: [String: Listing]
    private let referenceDay = 20_089  // 2025-01-01
    private let firstDay = 16_436  // 2015-01-01
    private let lastDay = 23_741  // 2035-01-01
    private let dailyVolatility = 0.014
    private let walks = Mutex<[String: Walk]>([:])
    private let dailyBars = Mutex<[String: [Int: Candle]]>([:])

    /// Session opens and closes by trading-day index, for one symbol.
    struct Walk: Sendable {
        var days: [Int]
        var index: [Int: Int]
        var opens: [Double]
        var closes: [Double]
    }

    public init(calendar: MarketCalendar = .india) {
        self.calendar = calendar
        var listings: [String: Listing] = [:]
        for (symbol, price, volume) in Self.stocks {
            for exchange in ["NSE", "BSE"] {
                listings["\(symbol)|\(exchange)"] = Listing(symbol: symbol, exchange: exchange, referencePrice: price,
                                                            dailyVolume: exchange == "NSE" ? volume : volume / 8)
            }
        }
        for (symbol, price) in [("NIFTY", 23_650.0), ("BANKNIFTY", 51_100.0), ("FINNIFTY", 23_400.0)] {
            listings["\(symbol)|NSE_INDEX"] = Listing(symbol: symbol, exchange: "NSE_INDEX", referencePrice: price, dailyVolume: 0)
        }
        self.listings = listings
    }

    private static let stocks: [(String, Double, Double)] = [
        ("RELIANCE", 1_220, 9_500_000), ("TCS", 4_090, 2_100_000), ("INFY", 1_880, 6_200_000),
        ("HDFCBANK", 1_770, 11_000_000), ("ICICIBANK", 1_290, 12_000_000), ("SBIN", 795, 13_500_000),
        ("ITC", 472, 14_000_000), ("LT", 3_540, 1_900_000), ("AXISBANK", 1_060, 7_800_000),
        ("KOTAKBANK", 1_790, 4_100_000), ("BHARTIARTL", 1_590, 6_000_000), ("HINDUNILVR", 2_340, 1_700_000),
        ("BAJFINANCE", 6_880, 1_300_000), ("MARUTI", 11_050, 480_000), ("M&M", 3_010, 2_600_000),
        ("BAJAJ-AUTO", 8_790, 420_000), ("SUNPHARMA", 1_880, 2_700_000), ("WIPRO", 300, 9_000_000),
        ("HCLTECH", 1_920, 2_400_000), ("TITAN", 3_260, 1_100_000), ("NTPC", 330, 15_000_000),
        ("ONGC", 240, 16_000_000), ("COALINDIA", 385, 8_000_000), ("TATAMOTORS", 740, 14_500_000),
    ]

    /// The listing of `instrument`, or a refusal that says which symbols exist.
    public func listing(_ instrument: Instrument) throws -> Listing {
        if let listing = listings["\(instrument.symbol)|\(instrument.exchange)"] { return listing }
        let known = listings.values.filter { $0.exchange == instrument.exchange }.map(\.symbol).sorted()
        if known.isEmpty {
            throw BrokerError.invalidRequest("exchange: the paper broker lists NSE, BSE and NSE_INDEX, not \(instrument.exchange)")
        }
        throw BrokerError.invalidRequest("symbol: \(instrument.symbol) is not listed on \(instrument.exchange) in the paper market; it lists \(known.prefix(8).joined(separator: ", ")) and \(known.count - min(8, known.count)) more")
    }

    /// Today's (or the last session's) quote at `now`.
    public func quote(_ instrument: Instrument, at now: Date) throws -> Quote {
        if let option = try optionQuote(instrument, at: now) { return option }
        let listing = try listing(instrument)
        let session = calendar.latestSession(at: now)
        let bars = minuteBars(listing, day: session).prefix(max(1, calendar.elapsedMinutes(of: session, at: now)))
        let previous = walk(listing).previousClose(before: session)
        let ltp = bars.last!.close
        return Quote(ltp: ltp, open: bars.first!.open, high: bars.map(\.high).max()!, low: bars.map(\.low).min()!,
                     previousClose: previous, volume: bars.reduce(0) { $0 + $1.volume },
                     bid: Self.tick(ltp - 0.05), ask: Self.tick(ltp + 0.05))
    }

    /// The price at minute `minute` of the session `day` (for the simulated account's fills).
    func price(_ instrument: Instrument, day: Int, minute: Int) throws -> Double {
        let bars = minuteBars(try listing(instrument), day: day)
        return bars[max(0, min(bars.count - 1, minute))].close
    }

    /// The close of the session `sessionsAgo` sessions before the latest one.
    func close(_ instrument: Instrument, sessionsAgo: Int, at now: Date) throws -> Double {
        let listing = try listing(instrument)
        let days = calendar.tradingDays(endingAt: calendar.latestSession(at: now), count: sessionsAgo + 1)
        return walk(listing).close(on: days[0])
    }

    /// Bars of `interval` for the sessions from `start` to `end`, none beyond `now`.
    public func history(_ instrument: Instrument, interval: String, start: Date, end: Date, now: Date) throws -> [Candle] {
        let listing = try listing(instrument)
        guard Self.intervals.all.contains(interval) else {
            throw BrokerError.invalidRequest("interval: \(interval) is not offered; use one of \(Self.intervals.all.joined(separator: ", "))")
        }
        let latest = calendar.latestSession(at: now)
        let days = calendar.tradingDays(from: max(calendar.day(of: start), firstDay + 1), through: min(calendar.day(of: end), latest))
        if interval == "D" {
            return days.map { dailyBar(listing, day: $0, minutes: $0 == latest ? calendar.elapsedMinutes(of: $0, at: now) : calendar.sessionMinutes) }
        }
        let size = interval == "1h" ? 60 : Int(interval.dropLast()) ?? 1
        var candles: [Candle] = []
        for day in days {
            let minutes = day == latest ? calendar.elapsedMinutes(of: day, at: now) : calendar.sessionMinutes
            let bars = minuteBars(listing, day: day).prefix(minutes)
            var start = 0
            while start < bars.count {
                candles.append(Self.aggregate(bars[start..<min(start + size, bars.count)]))
                start += size
            }
        }
        return candles
    }

    private func dailyBar(_ listing: Listing, day: Int, minutes: Int) -> Candle {
        let key = "\(listing.symbol)|\(listing.exchange)"
        if minutes == calendar.sessionMinutes, let cached = dailyBars.withLock({ $0[key]?[day] }) { return cached }
        var bar = Self.aggregate(minuteBars(listing, day: day).prefix(max(1, minutes))[...])
        bar.time = calendar.midnight(of: day)
        if minutes == calendar.sessionMinutes { dailyBars.withLock { $0[key, default: [:]][day] = bar } }
        return bar
    }

    private static func aggregate(_ bars: ArraySlice<Candle>) -> Candle {
        Candle(time: bars.first!.time, open: bars.first!.open, high: bars.map(\.high).max()!, low: bars.map(\.low).min()!,
               close: bars.last!.close, volume: bars.reduce(0) { $0 + $1.volume })
    }

    /// The 375 one-minute bars of one session: a Brownian bridge from the open to the close.
    func minuteBars(_ listing: Listing, day: Int) -> [Candle] {
        let walk = walk(listing)
        let open = walk.open(on: day), close = walk.close(on: day)
        let count = calendar.sessionMinutes
        var random = SeededRandom(listing.symbol, listing.exchange.count, day, 1)
        let step = dailyVolatility / Double(count).squareRoot()
        var path = [0.0]
        path.reserveCapacity(count + 1)
        for _ in 0..<count { path.append(path.last! + step * random.normal()) }
        let start = log(open), drift = path[count] - (log(close) - start)
        var volumeRandom = SeededRandom(listing.symbol, listing.exchange.count, day, 2)
        let dayVolume = listing.dailyVolume * exp(0.3 * volumeRandom.normal())
        let shape: [Double] = (0..<count).map { minute in
            let opening: Double = 2 * exp(-Double(minute) / 20)
            let closing: Double = 1.2 * exp(-Double(count - 1 - minute) / 25)
            return 1 + opening + closing
        }
        let shapeTotal = shape.reduce(0, +)
        var bars: [Candle] = []
        bars.reserveCapacity(count)
        for minute in 0..<count {
            let barOpen = Self.tick(exp(start + path[minute] - drift * Double(minute) / Double(count)))
            let barClose = Self.tick(exp(start + path[minute + 1] - drift * Double(minute + 1) / Double(count)))
            let spread = barClose * step * 0.6
            let high = Self.tick(max(barOpen, barClose) + abs(random.normal()) * spread)
            let low = Self.tick(min(barOpen, barClose) - abs(random.normal()) * spread)
            let volume = listing.dailyVolume == 0 ? 0 : (dayVolume * shape[minute] / shapeTotal * exp(0.4 * volumeRandom.normal())).rounded()
            bars.append(Candle(time: calendar.time(day: day, minute: minute), open: barOpen, high: high, low: low,
                               close: barClose, volume: volume))
        }
        return bars
    }

    private func walk(_ listing: Listing) -> Walk {
        let key = "\(listing.symbol)|\(listing.exchange)"
        if let walk = walks.withLock({ $0[key] }) { return walk }
        let days = calendar.tradingDays(from: firstDay, through: lastDay)
        let reference = days.firstIndex { $0 >= referenceDay } ?? 0
        var returns = [Double](repeating: 0, count: days.count)
        var gaps = [Double](repeating: 0, count: days.count)
        for (index, day) in days.enumerated() {
            // The seed holds the symbol, not the exchange, so a stock's NSE and BSE listings move together.
            var random = SeededRandom(listing.symbol, day)
            returns[index] = dailyVolatility * random.normal() + 0.0002
            gaps[index] = 0.003 * random.normal()
        }
        var closes = [Double](repeating: listing.referencePrice, count: days.count)
        if reference + 1 < days.count {
            for index in (reference + 1)..<days.count { closes[index] = closes[index - 1] * exp(returns[index]) }
        }
        for index in stride(from: reference - 1, through: 0, by: -1) { closes[index] = closes[index + 1] / exp(returns[index + 1]) }
        let opens = closes.indices.map { index in (index == 0 ? closes[0] : closes[index - 1]) * exp(gaps[index]) }
        let walk = Walk(days: days, index: Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) }),
                        opens: opens.map(Self.tick), closes: closes.map(Self.tick))
        walks.withLock { $0[key] = walk }
        return walk
    }

    /// Prices move in steps of 0.05, as on NSE.
    static func tick(_ price: Double) -> Double { (price * 20).rounded() / 20 }
}

extension PaperMarket.Walk {
    func close(on day: Int) -> Double { index[day].map { closes[$0] } ?? closes[closes.count - 1] }
    func open(on day: Int) -> Double { index[day].map { opens[$0] } ?? opens[opens.count - 1] }
    func previousClose(before day: Int) -> Double {
        guard let position = index[day], position > 0 else { return closes[0] }
        return closes[position - 1]
    }
}
