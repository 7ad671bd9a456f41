import BotKit
import Foundation

/// The lot size of an F&O contract, from the broker's own option chains (the only place OpenAlgo states it).
enum LotSizes {
    /// How many expiries are searched for the contract: the near ones are where orders go.
    static let expiriesSearched = 3

    /// The lot size of `symbol` on `exchange`, nil when no chain the broker lists holds that contract.
    static func lotSize(of symbol: String, exchange: String, services: TraderServices, userID: Int64) async -> Int? {
        // An option symbol starts with its underlying: RELIANCE25DEC1400PE, NIFTY25DEC24000CE.
        guard let underlying = symbol.firstMatch(of: /^[A-Z&\-]+/).map({ String($0.output) }), !underlying.isEmpty,
              let session = try? await services.trading.session(userID: userID) else { return nil }
        let spotExchange = exchange == "BFO" ? "BSE" : "NSE"
        for venue in [Instrument(underlying, spotExchange), Instrument(underlying, "\(spotExchange)_INDEX")] {
            guard let expiries = try? await session.broker.expiries(venue), !expiries.isEmpty else { continue }
            for expiry in expiries.prefix(expiriesSearched) {
                guard let chain = try? await session.broker.optionChain(venue, expiry: expiry, strikeCount: nil, interestRate: 0) else { continue }
                for row in chain.rows {
                    for leg in [row.call, row.put].compactMap({ $0 }) where leg.symbol.uppercased() == symbol && leg.lotSize > 0 {
                        return leg.lotSize
                    }
                }
            }
        }
        return nil
    }
}
