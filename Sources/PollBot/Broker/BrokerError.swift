import BotKit
import Foundation

/// A broker failure, phrased so that a trader knows what to do.
public enum BrokerError: Error, Sendable, CustomStringConvertible {
    /// 403: the API key is wrong or the broker session expired.
    case rejectedKey(String)
    /// 429: try again after this many seconds.
    case rateLimited(retryAfter: Int?)
    /// 400: what was wrong, by field when the broker says so.
    case invalidRequest(String)
    /// 5xx or another error status, with the broker's message.
    case server(status: Int, message: String)
    /// No answer: connection refused, timeout.
    case unreachable(HTTPTransportError)
    /// An answer that cannot be used: not OpenAlgo's JSON, or a number no real price or quantity can have.
    case badResponse(BadAnswer)
    /// The host failed repeatedly; no call is made until `retryAt`.
    case circuitOpen(since: Date, retryAt: Date)
    /// An order call went out and no clear answer came back (timeout, dropped connection, 5xx, a success without a
    /// usable order id): the broker may have acted on it, so the caller reconciles and never re-sends.
    case outcomeUnknown(OrderUncertainty)

    /// True when the host itself failed (no answer, 5xx). A refusal such as 403 or 400 proves the host is up, and a
    /// malformed or absurd answer is one account's data: neither may open the breaker for every user of the host.
    public var isHostFailure: Bool {
        switch self {
        case .unreachable: return true
        case .server(let status, _): return status >= 500 && !isUnknownSymbol
        case .outcomeUnknown(let uncertainty): return uncertainty.isHostFailure
        case .rejectedKey, .rateLimited, .invalidRequest, .badResponse, .circuitOpen: return false
        }
    }

    /// True when the broker said the symbol is not listed: OpenAlgo answers "Symbol X not found for exchange Y" with a
    /// 400, or a 500 from some brokers' modules; the paper broker says "not listed". The host answered, so this is the
    /// user's typo, not a failure to retry or to count against the host.
    public var isUnknownSymbol: Bool {
        let message: String
        switch self {
        case .invalidRequest(let text): message = text
        case .server(let status, let text) where status < 503: message = text
        default: return false
        }
        let lower = message.lowercased()
        return lower.contains("symbol") && (lower.contains("not found") || lower.contains("not listed"))
    }

    public var description: String {
        switch self {
        case .rejectedKey(let message): return "OpenAlgo rejected the API key (\(message))"
        case .rateLimited(let retryAfter): return "OpenAlgo is rate limiting; retry in \(retryAfter ?? 60) s"
        case .invalidRequest(let message): return "OpenAlgo refused the request: \(message)"
        case let .server(status, message): return "OpenAlgo error \(status): \(message)"
        case .unreachable(let error): return error.isTimeout ? "OpenAlgo did not answer in time" : "OpenAlgo cannot be reached (\(error.message))"
        case .badResponse(.unreadable(let reason)): return "OpenAlgo sent an unexpected answer (\(reason))"
        case .badResponse(.unusableValue(let value)): return "OpenAlgo sent an unusable value for \(value)"
        case .circuitOpen(let since, _): return "OpenAlgo has not answered since \(since)"
        case .outcomeUnknown(let uncertainty): return "OpenAlgo did not confirm \(uncertainty)"
        }
    }
}

/// Why an answer could not be used.
public enum BadAnswer: Sendable, Equatable {
    /// Not OpenAlgo's JSON, or not the shape the endpoint has.
    case unreadable(String)
    /// A field holding NaN, infinity or a magnitude no price, quantity or time can have.
    case unusableValue(UnusableValue)
}
