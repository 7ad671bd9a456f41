import BotKit
import Foundation

/// `/alert`'s arguments as typed: an instrument and a condition, `above|>|below|<|crosses PRICE` or `+N%`/`-N%` from the LTP.
struct AlertRequest: Sendable, Equatable {
    /// The condition before the LTP is known: a level, or a move in percent from the LTP.
    enum Target: Sendable, Equatable {
        case level(PriceAlert.Kind, Double)
        case percent(Double)
    }

    var instrument: Instrument
    var target: Target

    /// The highest price an alert accepts: far above any listed price, far below where doubles lose cents.
    static let maxPrice = 999_999_999.0

    init(_ text: String, defaultExchange: String, usage: String) throws {
        func failure(_ problem: String) -> UserError {
            UserError("\(problem)\nUsage: <code>\(HTML.escape(usage))</code>")
        }
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let split = words.firstIndex(where: { Self.kinds[$0.lowercased()] != nil || Self.isPercent($0) }) else {
            throw failure(words.isEmpty ? "Name a symbol and a condition, e.g. <code>/alert RELIANCE above 1500</code>."
                                        : "Say when: <code>above</code>, <code>below</code> or <code>crosses</code> a price, or <code>+5%</code> / <code>-3%</code> from now.")
        }
        let names = Array(words[..<split])
        guard !names.isEmpty else { throw failure("Name the symbol first, e.g. <code>/alert RELIANCE above 1500</code>.") }
        guard names.count <= 2 else { throw failure("One symbol per alert, optionally with its exchange.") }
        instrument = try InstrumentList(names, defaultExchange: defaultExchange, usage: usage, limit: 1).instruments[0]
        let rest = Array(words[(split + 1)...])
        if let kind = Self.kinds[words[split].lowercased()] {
            guard let word = rest.first else { throw failure("Give the price, e.g. <code>\(words[split]) 1500</code>.") }
            guard rest.count == 1 else { throw failure("Only one price after \(HTML.escape(words[split])).") }
            target = .level(kind, try Self.price(word, failure: failure))
        } else {
            guard rest.isEmpty else { throw failure("Nothing may follow the percentage.") }
            target = .percent(try Self.percent(words[split], failure: failure))
        }
    }

    /// The level and kind once the LTP is known: `+5%` is above LTP × 1.05, `-3%` below LTP × 0.97, to the paisa.
    func terms(ltp: Double) -> AlertTerms {
        switch target {
        case let .level(kind, level):
            return AlertTerms(kind: kind, level: level)
        case .percent(let change):
            let level = (ltp * (1 + change / 100) * 100).rounded() / 100
            return AlertTerms(kind: change > 0 ? .above : .below, level: level)
        }
    }

    private static let kinds: [String: PriceAlert.Kind] = [
        "above": .above, ">": .above, ">=": .above, "below": .below, "<": .below, "<=": .below, "crosses": .crosses, "cross": .crosses,
    ]

    private static func isPercent(_ word: String) -> Bool { word.count > 2 && word.hasSuffix("%") && (word.first == "+" || word.first == "-") }

    /// A plain decimal: `Double("nan")`, `"inf"`, `"1e308"` and `"0x1p3"` would all parse, and none is a price anyone typed.
    private static func price(_ word: String, failure: (String) -> UserError) throws -> Double {
        let cleaned = word.replacingOccurrences(of: ",", with: "")
        guard cleaned.wholeMatch(of: /[0-9]{1,12}(\.[0-9]{1,4})?/) != nil, let value = Double(cleaned) else {
            if cleaned.hasPrefix("-") { throw failure("A price must be above 0, not \(HTML.escape(String(word.prefix(20)))).") }
            throw failure("\u{201C}\(HTML.escape(String(word.prefix(20))))\u{201D} is not a price: write a number like 1500 or 1500.50.")
        }
        guard value > 0 else { throw failure("A price must be above 0.") }
        guard value <= maxPrice else { throw failure("A price must be at most 999,999,999.") }
        return value
    }

    private static func percent(_ word: String, failure: (String) -> UserError) throws -> Double {
        let digits = word.dropFirst().dropLast()
        guard digits.wholeMatch(of: /[0-9]{1,4}(\.[0-9]{1,2})?/) != nil, let size = Double(digits) else {
            throw failure("\u{201C}\(HTML.escape(String(word.prefix(20))))\u{201D} is not a percentage: write e.g. <code>+5%</code> or <code>-3%</code>.")
        }
        guard size > 0 else { throw failure("A move of 0% is the price now; give a percentage above 0.") }
        if word.first == "-" {
            guard size < 100 else { throw failure("A price cannot fall 100% or more; give a fall below 100%, e.g. -20%.") }
            return -size
        }
        guard size <= 1000 else { throw failure("At most +1000%, please.") }
        return size
    }
}
