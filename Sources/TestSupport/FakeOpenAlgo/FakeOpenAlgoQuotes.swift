import Foundation

/// The fake's price control: tests move a symbol's LTP (or take its quote away) to drive alerts over the wire.
extension FakeOpenAlgo {
    /// From now on `quotes` and `multiquotes` give `symbol` this LTP (any exchange); NaN and infinity go out as the
    /// strings "NaN" and "inf", as a broker's bad feed would send them. Other fields follow the fake's data for the symbol.
    public func setQuote(_ symbol: String, ltp: Double) async {
        await state.setQuoteOverride(symbol, .price(ltp))
    }

    /// From now on `symbol` has no quote: `multiquotes` lists it with an error, `quotes` answers "not found".
    public func removeQuote(_ symbol: String) async {
        await state.setQuoteOverride(symbol, .missing)
    }
}

/// A test's change to one symbol's quote.
enum QuoteOverride: Sendable {
    case price(Double)
    case missing
}

extension FakeOpenAlgoState {
    func setQuoteOverride(_ symbol: String, _ change: QuoteOverride) { quoteOverrides[symbol] = change }

    /// The quote the fake gives `symbol`: a test's override, else the fake's data; nil when it has none.
    func quoteData(_ symbol: String) -> [String: Any]? {
        switch quoteOverrides[symbol] {
        case .missing: return nil
        case .price(let ltp):
            // JSON has no NaN or infinity: a feed that produces them sends text.
            let value: Any = ltp.isFinite ? ltp : (ltp.isNaN ? "NaN" : ltp > 0 ? "inf" : "-inf")
            var quote = FakeOpenAlgoData.quotes[symbol] ?? ["open": value, "high": value, "low": value, "prev_close": value, "volume": 1000]
            quote["ltp"] = value
            return quote
        case nil: return FakeOpenAlgoData.quotes[symbol]
        }
    }
}
