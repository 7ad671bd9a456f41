import BotKit
import Foundation

/// The plain text pollbot understands in a private chat, read by a small fixed grammar (no language model): each
/// phrase becomes the command a user would have typed, so it answers exactly as that command does.
enum PlainLanguage {
    /// Examples shown at the end of /help, one per kind of phrase.
    static let examples = [
        "price of RELIANCE", "quote TCS INFY", "chart INFY daily", "my positions", "pnl", "my funds",
        "holdings", "orders", "trades", "portfolio", "analyze NVDA", "analyse a stock", "buy 10 INFY at 1500",
    ]

    /// Words that carry no meaning here ("please show me my positions").
    static let filler: Set<String> = ["please", "pls", "plz", "show", "me", "my", "the", "what", "whats", "is", "are", "get",
                                      "give", "can", "could", "you", "i", "see", "want", "to", "for", "of", "a", "an", "today", "todays"]

    /// Single words that name a command without arguments.
    static let views: [String: String] = [
        "positions": "/positions", "position": "/positions", "pnl": "/pnl", "p&l": "/pnl", "profit": "/pnl",
        "funds": "/funds", "fund": "/funds", "cash": "/funds", "margin": "/funds", "balance": "/funds",
        "holdings": "/holdings", "holding": "/holdings", "orders": "/orderbook", "orderbook": "/orderbook",
        "trades": "/tradebook", "tradebook": "/tradebook", "portfolio": "/portfolio", "help": "/help", "commands": "/help",
        "menu": "/menu", "accounts": "/accounts", "status": "/status",
    ]

    static let quoteWords: Set<String> = ["price", "prices", "quote", "quotes", "ltp"]
    static let chartModes: Set<String> = ["daily", "intraday", "both"]
    /// Longer text is no phrase of ours; it is not tokenised at all.
    static let longest = 200

    /// What to do with `text`: the command line it stands for, or a reply.
    static func read(_ text: String) -> PlainTextAnswer {
        guard text.count <= longest else { return .reply(notUnderstood(suggestion: nil)) }
        let words = tokens(text)
        let meaningful = words.filter { !filler.contains($0.lowercased()) }
        guard let first = meaningful.first?.lowercased() else { return .reply(notUnderstood(suggestion: nil)) }
        let rest = Array(meaningful.dropFirst())
        if quoteWords.contains(first) {
            guard !rest.isEmpty else { return .reply("Which symbol? e.g. <code>price of RELIANCE</code>.") }
            return .run("/quote " + rest.prefix(20).map { $0.uppercased() }.joined(separator: " "))
        }
        if first == "chart" {
            let modes = rest.filter { chartModes.contains($0.lowercased()) }.map { $0.lowercased() }
            guard let symbol = rest.first(where: { !chartModes.contains($0.lowercased()) }) else {
                return .reply("Which symbol? e.g. <code>chart INFY daily</code>.")
            }
            return .run((["/chart", symbol.uppercased()] + modes.prefix(1)).joined(separator: " "))
        }
        if ["analyze", "analyse", "analysis"].contains(first) {
            // "analyse a stock" asks for the ticker; "analyze NVDA wheel" skips to what is missing.
            let named = rest.filter { !["stock", "stocks", "share", "shares", "it", "strategy"].contains($0.lowercased()) }
            let strategy = named.first { OptionStrategy(rawValue: $0.lowercased()) != nil }?.lowercased()
            let symbol = named.first { OptionStrategy(rawValue: $0.lowercased()) == nil }?.uppercased()
            return .run((["/analyze"] + [symbol, strategy].compactMap { $0 }).joined(separator: " "))
        }
        if ["buy", "sell"].contains(first) {
            // /buy itself says when trading is off or the user may not trade: the grammar knows no settings.
            guard let line = orderLine(text) else {
                return .reply("To place an order say e.g. <code>buy 10 INFY at 1500</code> or <code>sell 5 TCS market</code>, "
                              + "or send <code>/buy QTY SYMBOL [EXCHANGE] [@PRICE | market] [PRODUCT]</code>.")
            }
            return .run(line)
        }
        if rest.isEmpty, let command = views[first] { return .run(command) }
        return .reply(notUnderstood(suggestion: suggestion(for: meaningful)))
    }

    /// "buy 10 INFY at 1500", "sell 5 TCS NSE market mis" → the /buy or /sell line; nil when it is not that shape.
    static func orderLine(_ text: String) -> String? {
        let pattern = /(?i)\s*(?:please\s+)?(buy|sell)\s+(\d{1,9})\s+([A-Za-z0-9&_\-]{1,40})(?:\s+([A-Za-z_]{3,12}))??(?:\s+(?:(?:at|@)\s*(\d{1,9}(?:\.\d{1,4})?)|(?:at\s+)?(market)))?(?:\s+(cnc|mis|nrml))?\s*/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let exchange = match.4.map { String($0).uppercased() }
        if let exchange, !OrderRequest.exchanges.contains(exchange) { return nil }
        let price = match.5.map { "@\($0)" } ?? match.6.map { _ in "market" }
        return (["/\(match.1.lowercased())", String(match.2), match.3.uppercased()] + [exchange, price, match.7.map { $0.uppercased() }].compactMap { $0 })
            .joined(separator: " ")
    }

    /// The words of `text`: letters, digits and the marks symbols use (M&M, BAJAJ-AUTO, NSE:TCS); anything else splits.
    static func tokens(_ text: String) -> [String] {
        text.split { character in
            !(character.isASCII && (character.isLetter || character.isNumber || "&-_:".contains(character)))
        }.map(String.init).filter { $0.contains { $0.isLetter || $0.isNumber } }
    }

    /// One likely meaning: a misspelt view ("postions" → /positions), else a word typed in capitals taken as a symbol.
    static func suggestion(for words: [String]) -> String? {
        if words.count == 1, let word = words.first?.lowercased(), word.count >= 4,
           let close = views.keys.sorted().first(where: { distance($0, word) <= 2 }), let command = views[close] {
            return command
        }
        if let symbol = words.first(where: { $0.count >= 2 && $0.count <= 20 && $0 == $0.uppercased() && $0.contains { $0.isLetter } }) {
            return "/quote \(symbol)"
        }
        return nil
    }

    static func notUnderstood(suggestion: String?) -> String {
        let hint = suggestion.map { "Did you mean <code>\(HTML.escape($0))</code>? " } ?? ""
        return "I did not understand that. \(hint)Send /help for the commands and the phrases I know."
    }

    /// Levenshtein distance, for short words only.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
