import BotKit

/// Reads instruments as traders type them: `RELIANCE`, `RELIANCE BSE`, `NSE:RELIANCE`, `TCS INFY M&M BSE`.
///
/// A trailing exchange applies to every symbol before it that names none;
/// symbols are upper-cased and may hold letters, digits, `&`, `-`, `_` and `.`.
struct InstrumentList {
    var instruments: [Instrument]

    init(_ words: [String], defaultExchange: String, usage: String, limit: Int = 25) throws {
        func failure(_ problem: String) -> UserError {
            UserError("\(problem)\nUsage: <code>\(HTML.escape(usage))</code>")
        }
        var words = words.map { $0.uppercased() }
        var trailingExchange = defaultExchange
        if words.count >= 2, let last = words.last, ConfigLoader.exchanges.contains(last) {
            trailingExchange = last
            words.removeLast()
        }
        guard !words.isEmpty else { throw failure("Name a symbol, e.g. <code>RELIANCE</code>.") }
        guard words.count <= limit else { throw failure("At most \(limit) symbols at once, please.") }
        instruments = try words.map { word in
            var symbol = word, exchange = trailingExchange
            if let colon = word.firstIndex(of: ":") {
                exchange = String(word[..<colon])
                symbol = String(word[word.index(after: colon)...])
                guard ConfigLoader.exchanges.contains(exchange) else {
                    throw failure("\(HTML.escape(exchange)) is not an exchange; use one of \(ConfigLoader.exchanges.joined(separator: " ")).")
                }
            }
            guard symbol.wholeMatch(of: /[A-Z0-9&_.\-]{1,40}/) != nil else {
                if ConfigLoader.exchanges.contains(symbol) { throw failure("Put the exchange after the symbol, e.g. <code>RELIANCE \(HTML.escape(symbol))</code>.") }
                throw failure("\u{201C}\(HTML.escape(symbol))\u{201D} is not a symbol: use letters, digits, &amp;, -, _ or . (up to 40).")
            }
            return Instrument(symbol, exchange)
        }
    }
}
