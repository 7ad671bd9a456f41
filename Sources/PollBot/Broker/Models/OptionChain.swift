import BotKit
import Foundation

/// One expiry's options on an underlying, as OpenAlgo's `optionchain` answers: per strike a call and a put.
///
/// Hostile numbers: a number no price can have (NaN, inf, 1e308, text, a negative price, a lot size that is not a
/// whole positive number) inside one strike's row drops that strike only, and the strike is named in `skipped`.
/// Unlike the books there is no total over the rows: an analysis picks one or two strikes, and the others stand on
/// their own, so losing one strike costs less than losing the chain. The same in the chain's own fields (spot, ATM
/// strike, expiry) fails the whole answer, since every strike is read against them.
public struct OptionChain: Decodable, Sendable, Equatable {
    /// The underlying's symbol ("RELIANCE") and exchange ("NSE").
    public var underlying: Instrument
    /// The underlying's last price: 0 when the broker could not quote it.
    public var spot: Double
    public var previousClose: Double
    public var expiry: ExpiryDate
    /// The listed strike nearest the spot.
    public var atmStrike: Double
    /// False when the broker says it has no option quotes; the prices are then 0.
    public var quotesIncluded: Bool
    /// True when the priced legs carry implied volatility and Greeks.
    public var greeksIncluded: Bool
    /// The forward the broker's Greeks used, when it says.
    public var forwardPrice: Double?
    /// The strikes, lowest first.
    public var rows: [OptionChainRow]
    /// Strikes dropped for an unusable value, with what was wrong ("strike 1440: ltp (inf)").
    public var skipped: [String]

    public init(underlying: Instrument, spot: Double, previousClose: Double, expiry: ExpiryDate, atmStrike: Double,
                quotesIncluded: Bool, greeksIncluded: Bool, forwardPrice: Double? = nil, rows: [OptionChainRow], skipped: [String] = []) {
        self.underlying = underlying
        self.spot = spot
        self.previousClose = previousClose
        self.expiry = expiry
        self.atmStrike = atmStrike
        self.quotesIncluded = quotesIncluded
        self.greeksIncluded = greeksIncluded
        self.forwardPrice = forwardPrice
        self.rows = rows
        self.skipped = skipped
    }

    enum CodingKeys: String, CodingKey {
        case underlying, underlyingExchange = "underlying_exchange", spot = "underlying_ltp", previousClose = "underlying_prev_close"
        case expiry = "expiry_date", atmStrike = "atm_strike", quotesIncluded = "quotes_included", greeksIncluded = "greeks_included"
        case forwardPrice = "forward_price", chain
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        underlying = Instrument(try container.text(.underlying), try container.text(.underlyingExchange))
        (spot, previousClose, atmStrike) = try UnusableValue.naming("the option chain of \(underlying.symbol)") {
            (try container.number(.spot), try container.number(.previousClose), try container.number(.atmStrike))
        }
        guard spot >= 0, atmStrike >= 0 else {
            throw UnusableValue(field: spot < 0 ? "underlying_ltp" : "atm_strike", item: "the option chain of \(underlying.symbol)",
                                value: min(spot, atmStrike))
        }
        expiry = try container.decode(ExpiryDate.self, forKey: .expiry)
        quotesIncluded = (try? container.decodeIfPresent(Bool.self, forKey: .quotesIncluded)) ?? true
        greeksIncluded = (try? container.decodeIfPresent(Bool.self, forKey: .greeksIncluded)) ?? false
        let forward = try container.number(.forwardPrice)
        forwardPrice = forward > 0 ? forward : nil
        let attempts = try container.decodeIfPresent([Attempt].self, forKey: .chain) ?? []
        rows = attempts.compactMap { try? $0.outcome.get() }.sorted { $0.strike < $1.strike }
        skipped = attempts.compactMap { attempt in
            guard case .failure(let reason) = attempt.outcome else { return nil }
            return reason.message
        }
    }

    /// One row as decoded or the reason it was dropped; decoding an `Attempt` never fails, so one bad row
    /// does not stop the rows after it.
    private struct Attempt: Decodable {
        var outcome: Result<OptionChainRow, QuoteResult.QuoteFailure>

        init(from decoder: any Decoder) throws {
            do {
                outcome = .success(try OptionChainRow(from: decoder))
            } catch let error as UnusableValue {
                outcome = .failure(.init("\(error.item ?? "a strike"): \(error.field) (\(error.value))"))
            } catch {
                outcome = .failure(.init("a strike the broker sent in an unreadable form"))
            }
        }
    }

    /// The contracts' lot size (the same for every strike of one underlying and expiry), nil without legs.
    public var lotSize: Int? { rows.lazy.compactMap { ($0.put ?? $0.call)?.lotSize }.first }

    /// True when at least one leg has a price: a chain of zeros means the broker's option quotes failed.
    public var hasPrices: Bool { rows.contains { $0.call?.isPriced == true || $0.put?.isPriced == true } }

    /// The row at `strike`, if listed.
    public func row(at strike: Double) -> OptionChainRow? { rows.first { abs($0.strike - strike) < 1e-6 } }

    /// An option's trading symbol: BASE+DDMMMYY+STRIKE+CE|PE, whole strikes without ".0" ("RELIANCE27NOV251400PE",
    /// "VEDL25APR24292.5CE").
    public static func symbol(_ base: String, expiry: ExpiryDate, strike: Double, type: OptionType) -> String {
        let strikeText = strike == strike.rounded() && strike.magnitude < 1e12 ? String(Int64(strike)) : String(strike)
        return "\(base.uppercased())\(expiry.code)\(strikeText)\(type.rawValue)"
    }
}

/// Call or put, as the symbols end.
public enum OptionType: String, Sendable, Hashable, CaseIterable {
    case call = "CE", put = "PE"
}

/// One strike of a chain: its call and its put, either nil when that contract is not listed.
public struct OptionChainRow: Decodable, Sendable, Equatable {
    public var strike: Double
    public var call: OptionLeg?
    public var put: OptionLeg?

    public init(strike: Double, call: OptionLeg?, put: OptionLeg?) {
        self.strike = strike
        self.call = call
        self.put = put
    }

    enum CodingKeys: String, CodingKey { case strike, call = "ce", put = "pe" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let strike = try UnusableValue.naming("a strike") { try container.number(.strike) }
        guard strike > 0 else { throw UnusableValue(field: "strike", item: "a strike", value: strike) }
        self.strike = strike
        let name = "strike \(strike == strike.rounded() ? String(Int64(strike)) : String(strike))"
        (call, put) = try UnusableValue.naming(name) {
            (try container.decodeIfPresent(OptionLeg.self, forKey: .call), try container.decodeIfPresent(OptionLeg.self, forKey: .put))
        }
    }

    /// The leg of `type`.
    public func leg(_ type: OptionType) -> OptionLeg? { type == .call ? call : put }
}

/// One option contract's market: prices are 0 when the broker had no quote for it.
public struct OptionLeg: Decodable, Sendable, Equatable {
    public var symbol: String
    /// "ATM", "ITM2", "OTM3": the broker's count of listed strikes from the ATM strike.
    public var label: String
    public var ltp: Double
    public var bid: Double
    public var ask: Double
    public var volume: Double
    /// Open interest, in units (not lots).
    public var openInterest: Double
    public var lotSize: Int
    public var tickSize: Double
    /// Implied volatility and Greeks, when the broker computed them for this leg.
    public var greeks: OptionGreeks?

    public init(symbol: String, label: String, ltp: Double, bid: Double, ask: Double, volume: Double, openInterest: Double,
                lotSize: Int, tickSize: Double = 0.05, greeks: OptionGreeks? = nil) {
        self.symbol = symbol
        self.label = label
        self.ltp = ltp
        self.bid = bid
        self.ask = ask
        self.volume = volume
        self.openInterest = openInterest
        self.lotSize = lotSize
        self.tickSize = tickSize
        self.greeks = greeks
    }

    enum CodingKeys: String, CodingKey {
        case symbol, label, ltp, bid, ask, volume, oi, lotsize, tickSize = "tick_size"
        case impliedVolatility = "implied_volatility", delta, gamma, theta, vega
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.text(.symbol)
        label = try container.text(.label)
        let values = try [CodingKeys.ltp, .bid, .ask, .volume, .oi, .lotsize, .tickSize].map { key in
            let value = try container.number(key)
            // No price, size or count is negative; a -5 bid would make a mid below zero.
            guard value >= 0 else { throw UnusableValue(field: key.stringValue, value: value) }
            return value
        }
        (ltp, bid, ask, volume, openInterest, tickSize) = (values[0], values[1], values[2], values[3], values[4], values[6])
        // A lot of 0 or 2.5 shares would make the capital required for a contract a wrong number.
        guard values[5] >= 1, values[5] == values[5].rounded() else { throw UnusableValue(field: "lotsize", value: values[5]) }
        lotSize = Int(values[5])
        if container.contains(.impliedVolatility) {
            let iv = try container.number(.impliedVolatility)
            guard iv >= 0 else { throw UnusableValue(field: "implied_volatility", value: iv) }
            greeks = OptionGreeks(impliedVolatility: iv, delta: try container.number(.delta), gamma: try container.number(.gamma),
                                  theta: try container.number(.theta), vega: try container.number(.vega))
        } else {
            greeks = nil
        }
    }

    /// True when the broker had any price for this contract.
    public var isPriced: Bool { ltp > 0 || bid > 0 || ask > 0 }

    /// The middle of bid and ask when both are quoted and not crossed, else nil.
    public var mid: Double? { bid > 0 && ask >= bid ? (bid + ask) / 2 : nil }
}

/// Implied volatility and Greeks as OpenAlgo gives them.
public struct OptionGreeks: Sendable, Equatable {
    /// In percent: 15.25 is 15.25 % a year.
    public var impliedVolatility: Double
    public var delta: Double
    public var gamma: Double
    /// Per calendar day.
    public var theta: Double
    /// Per one point of volatility.
    public var vega: Double

    public init(impliedVolatility: Double, delta: Double, gamma: Double, theta: Double, vega: Double) {
        self.impliedVolatility = impliedVolatility
        self.delta = delta
        self.gamma = gamma
        self.theta = theta
        self.vega = vega
    }
}
