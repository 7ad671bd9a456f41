#if DEBUG
import Foundation
@testable import PollBot

/// Every OpenAlgo reply decoder. The first byte picks the model, the rest is the reply's JSON: decoding it never
/// traps, and what it accepts holds no NaN or infinity anywhere. The error-reply reader and `retry_after` are fed
/// the same bytes.
enum OpenAlgoFuzz {
    /// The payload types `OpenAlgoClient` decodes, one per endpoint.
    static let decoders: [(String, @Sendable (JSONDecoder, Data) throws -> Any)] = [
        ("funds", { try $0.decode(Funds.self, from: $1) }),
        ("orderbook", { try $0.decode(OrderBook.self, from: $1) }),
        ("tradebook", { try $0.decode([Trade].self, from: $1) }),
        ("positionbook", { try $0.decode([Position].self, from: $1) }),
        ("holdings", { try $0.decode(Holdings.self, from: $1) }),
        ("intervals", { try $0.decode(Intervals.self, from: $1) }),
        ("quotes", { try $0.decode(Quote.self, from: $1) }),
        ("multiquotes", { try $0.decode([QuoteResult].self, from: $1) }),
        ("history", { try $0.decode([Candle].self, from: $1) }),
        ("expiry", { try $0.decode([ExpiryDate].self, from: $1) }),
        ("optionchain", { try $0.decode(OptionChain.self, from: $1) }),
        ("orderstatus", { try $0.decode(OrderStatus.self, from: $1) }),
        ("analyzer", { try $0.decode(AnalyzerState.self, from: $1) }),
        ("write", { try $0.decode(WriteReply.self, from: $1) }),
    ]

    static func run(_ data: [UInt8]) throws {
        guard let first = data.first else { return }
        let (name, decode) = decoders[Int(first) % decoders.count]
        let body = Data(data.dropFirst())
        if let value = try? decode(JSONDecoder(), body), let bad = FiniteNumbers.firstNonFinite(in: value) {
            throw FuzzViolation(message: "\(name) accepted a number that is not finite: \(bad)")
        }
        _ = OpenAlgoClient.error(status: 400 + Int(first) % 200, body: body)
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let seconds = OpenAlgoClient.retryAfter(object["retry_after"]) {
            try require((1...3600).contains(seconds), "retry_after \(seconds) outside 1...3600 s")
        }
    }
}
#endif
