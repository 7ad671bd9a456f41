import BotKit

/// A symbol on an exchange, as OpenAlgo names it (`RELIANCE` on `NSE`).
public struct Instrument: Sendable, Hashable, CustomStringConvertible {
    public var symbol: String
    public var exchange: String

    public init(_ symbol: String, _ exchange: String) {
        self.symbol = symbol
        self.exchange = exchange
    }

    public var description: String { "\(symbol) \(exchange)" }
}
