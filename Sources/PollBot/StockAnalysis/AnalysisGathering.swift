import BotKit
import Foundation

/// The broker calls one stock analysis needs, made before any computing: a quote, a year of daily candles (and the
/// 199 before them for the chart's MA200), the expiries and the chain of the one nearest the target, and the shares
/// held. Calls that do not depend on each other run at once.
struct AnalysisGathering {
    let session: TradingSession
    let settings: AnalysisSettings

    /// Daily sessions the statistics read (a year), and the chart shows.
    static let yearSessions = 252
    /// Strikes either side of the ATM one: a 30-day put near delta -0.20 sits about 5 strikes out, so 20 leave room for
    /// volatile names without asking the broker to quote hundreds of contracts.
    static let strikeCount = 20
    /// The longest text read as a ticker: a 40-character symbol, a space and the longest exchange name.
    static let longestTicker = 52

    /// What a typed ticker turned out to be.
    enum TickerCheck {
        case found(Instrument, Quote)
        /// Not a symbol, or not listed: the reply says which and how to go on.
        case unknown(String)
    }

    /// Reads `text` as one instrument on the default exchange (or the one named) and checks it with a quote.
    func check(_ text: String) async throws -> TickerCheck {
        let words = text.split(separator: " ").map(String.init)
        // A symbol is at most 40 characters and an exchange a word: anything longer is not a ticker, and echoing it would
        // fill the chat.
        guard text.count <= Self.longestTicker else { return .unknown("Send one ticker, like <code>RELIANCE</code>, or /cancel.") }
        let instrument: Instrument
        do {
            let usage = "RELIANCE, or RELIANCE BSE"
            guard words.count <= 2, let first = try InstrumentList(words, defaultExchange: session.hub.broker.defaultExchange,
                                                                   usage: usage).instruments.first,
                  words.count == 1 || ConfigLoader.exchanges.contains(words[1].uppercased()) else {
                return .unknown("Send one ticker, like <code>RELIANCE</code>, or /cancel.")
            }
            instrument = first
            // Options are found from the stock's own exchange; a derivatives segment (NFO, MCX, …) holds no stock.
            guard OpenAlgoClient.derivativesSegment(of: instrument.exchange) != instrument.exchange else {
                return .unknown("\(HTML.escape(instrument.exchange)) is a derivatives exchange: name the stock on NSE or BSE, "
                                + "like <code>RELIANCE</code> or <code>RELIANCE BSE</code>, or /cancel.")
            }
        } catch let error as UserError {
            return .unknown(error.html + "\nSend another ticker or /cancel.")
        }
        do {
            let quote = try await session.call { try await $0.quote(instrument) }
            guard quote.ltp > 0 else {
                return .unknown("\(HTML.escape(instrument.symbol)) on \(HTML.escape(instrument.exchange)) has no price now; send another ticker or /cancel.")
            }
            return .found(instrument, quote)
        } catch let failure as BrokerFailure where failure.error.isUnknownSymbol {
            return .unknown("I could not find \(HTML.escape(instrument.symbol)) on \(HTML.escape(instrument.exchange)); send another ticker or /cancel.")
        }
    }

    /// Everything the analysis of `instrument` for `strategy` reads, and the candles for its chart.
    func input(_ instrument: Instrument, strategy: OptionStrategy, now: Date = Date()) async throws
        -> (input: AnalysisInput, chartCandles: [Candle], warmUp: [Candle]) {
        async let quote = session.call { try await $0.quote(instrument) }
        async let candles = session.history(instrument, interval: "D", sessions: Self.yearSessions + 199, kind: .daily, now: now)
        async let options = self.options(instrument, now: now)
        async let shares = strategy == .csp ? SharesHeld(quantity: 0) : self.shares(of: instrument)
        let history = try await candles
        let year = Array(history.suffix(Self.yearSessions))
        let input = AnalysisInput(instrument: instrument, quote: try await quote, candles: year, options: await options,
                                  shares: try await shares, strategy: strategy, now: now, settings: settings)
        return (input, year, Array(history.dropLast(year.count)))
    }

    /// The chain of the expiry nearest the target; `.none` when no options trade on it. A failure here leaves the stock
    /// part standing, so it becomes a reason, not an error.
    private func options(_ instrument: Instrument, now: Date) async -> OptionsData {
        do {
            let expiries = try await session.call { try await $0.expiries(instrument) }
            guard !expiries.isEmpty else { return .none }
            guard let expiry = ExpiryChoice.nearest(to: settings.targetDays, among: expiries, now: now) else {
                return .unavailable("every expiry the broker listed has passed")
            }
            let rate = settings.riskFreeRate * 100
            let chain = try await session.call {
                try await $0.optionChain(instrument, expiry: expiry, strikeCount: Self.strikeCount, interestRate: rate)
            }
            if let mismatch = Self.mismatch(of: chain, asked: instrument, expiry: expiry) { return .unavailable(mismatch) }
            return .chain(chain)
        } catch let failure as BrokerFailure {
            return .unavailable(HTML.plainText(failure.userHTML))
        } catch {
            return .unavailable("the option chain could not be read")
        }
    }

    /// Why `chain` is not the one asked for, nil when it is. A broker that answers with another underlying's or another
    /// expiry's chain (an expired one included) would otherwise have Execute sell a contract nobody chose.
    static func mismatch(of chain: OptionChain, asked instrument: Instrument, expiry: ExpiryDate) -> String? {
        let symbol = instrument.symbol.uppercased()
        guard chain.underlying.symbol.uppercased() == symbol else {
            return "the broker sent the chain of \(chain.underlying.symbol), not \(instrument.symbol)"
        }
        guard chain.expiry == expiry else { return "the broker sent the \(chain.expiry) chain, not the \(expiry) one asked for" }
        let legs = chain.rows.flatMap { [$0.call, $0.put].compactMap { $0 } }
        if let stranger = legs.first(where: { !$0.symbol.uppercased().hasPrefix(symbol) }) {
            return "the broker's chain of \(instrument.symbol) lists \(stranger.symbol), a contract of another underlying"
        }
        return nil
    }

    /// Shares of `instrument` in the holdings and open CNC positions, with their average cost where the broker tells it.
    private func shares(of instrument: Instrument) async throws -> SharesHeld {
        async let holdings = session.call { try await $0.holdings() }
        async let positions = session.call { try await $0.positions() }
        var quantity = 0.0, cost = 0.0, costKnown = true
        for holding in try await holdings.holdings where holding.symbol == instrument.symbol && holding.quantity > 0 {
            quantity += holding.quantity
            // The holdings answer has no average price; P&L and its percentage give what was paid.
            let invested = holding.pnlPercent != 0 ? holding.pnl / (holding.pnlPercent / 100) : .nan
            if UnusableValue.isUsable(invested), invested > 0 { cost += invested } else { costKnown = false }
        }
        for position in try await positions where position.symbol == instrument.symbol && position.exchange == instrument.exchange
            && position.product == "CNC" && position.quantity > 0 {
            quantity += position.quantity
            cost += position.quantity * position.averagePrice
        }
        let whole = quantity.isFinite && quantity < 1e12 ? Int(quantity.rounded(.down)) : 0
        return SharesHeld(quantity: whole, averagePrice: costKnown && whole > 0 && cost > 0 ? cost / quantity : nil)
    }
}
