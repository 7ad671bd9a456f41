import BotKit
import Foundation

extension PaperMarket {
    /// The quote of a paper option contract ("INFY29DEC263050PE" on NFO), priced as the paper chain prices it at `now`;
    /// nil when the symbol does not read as a contract. Fills, positions and previews of option orders go through it.
    func optionQuote(_ instrument: Instrument, at now: Date) throws -> Quote? {
        guard instrument.exchange == "NFO",
              let match = instrument.symbol.wholeMatch(of: /([A-Z&\-]+?)([0-9]{2}[A-Z]{3}[0-9]{2})([0-9]+(?:\.[0-9]+)?)(CE|PE)/),
              let expiry = ExpiryDate(parsing: String(match.2)), let strike = Double(match.3),
              let type = OptionType(rawValue: String(match.4)) else { return nil }
        let underlying = Instrument(String(match.1), "NSE")
        let chain = try PaperOptions(market: self).chain(underlying, expiry: expiry, strikeCount: nil, at: now)
        guard let leg = chain.row(at: strike)?.leg(type), leg.ltp > 0 else {
            throw BrokerError.invalidRequest("symbol: \(instrument.symbol) is not a listed contract of the paper market")
        }
        return Quote(ltp: leg.ltp, open: leg.ltp, high: leg.ltp, low: leg.ltp, previousClose: leg.ltp, volume: leg.volume,
                     bid: leg.bid, ask: leg.ask)
    }
}
