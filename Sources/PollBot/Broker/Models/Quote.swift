import BotKit

/// A snapshot of one instrument's market.
public struct Quote: Decodable, Sendable, Equatable {
    public var ltp: Double
    public var open: Double
    public var high: Double
    public var low: Double
    public var previousClose: Double
    public var volume: Double
    public var bid: Double
    public var ask: Double

    enum CodingKeys: String, CodingKey { case ltp, open, high, low, previousClose = "prev_close", volume, bid, ask }

    public init(ltp: Double, open: Double, high: Double, low: Double, previousClose: Double, volume: Double,
                bid: Double = 0, ask: Double = 0) {
        self.ltp = ltp
        self.open = open
        self.high = high
        self.low = low
        self.previousClose = previousClose
        self.volume = volume
        self.bid = bid
        self.ask = ask
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ltp = try container.number(.ltp)
        open = try container.number(.open)
        high = try container.number(.high)
        low = try container.number(.low)
        previousClose = try container.number(.previousClose)
        volume = try container.number(.volume)
        bid = try container.number(.bid)
        ask = try container.number(.ask)
    }

    /// LTP minus the previous close.
    public var change: Double { previousClose == 0 ? 0 : ltp - previousClose }
    /// The change in percent of the previous close.
    public var changePercent: Double { previousClose == 0 ? 0 : change / previousClose * 100 }
}

/// One symbol of a multiquotes answer: a quote, or the broker's reason it has none.
public struct QuoteResult: Decodable, Sendable, Equatable {
    public var instrument: Instrument
    public var outcome: Result<Quote, QuoteFailure>

    public struct QuoteFailure: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    public init(instrument: Instrument, outcome: Result<Quote, QuoteFailure>) {
        self.instrument = instrument
        self.outcome = outcome
    }

    enum CodingKeys: String, CodingKey { case symbol, exchange, data, error }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instrument = Instrument(try container.text(.symbol), try container.text(.exchange))
        // One symbol's absurd number costs only that symbol's line: the other quotes stand on their own.
        do {
            if let quote = try container.decodeIfPresent(Quote.self, forKey: .data) {
                outcome = .success(quote)
                return
            }
        } catch let error as UnusableValue {
            outcome = .failure(QuoteFailure("broker sent unusable \(error.field)"))
            return
        } catch {}
        let message = (try? container.decodeIfPresent(String.self, forKey: .error)) ?? nil
        outcome = .failure(QuoteFailure(message ?? "no data"))
    }
}
