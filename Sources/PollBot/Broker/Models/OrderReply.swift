import BotKit
import Foundation

/// What became of a `placeOrder`: the three ways a broker can accept one, with its own words.
public struct OrderPlacement: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// A live order with the broker's id.
        case placed(orderID: String)
        /// Semi-auto mode: waiting for approval in OpenAlgo's Action Center, so no order id yet (only the queue's id).
        case queued(pendingID: String?)
        /// Analyze mode: nothing reached the exchange; the sandbox's id when it gave one.
        case simulated(orderID: String?)
    }

    public var outcome: Outcome
    /// The broker's message, "" when it sent none.
    public var message: String

    public init(_ outcome: Outcome, message: String = "") {
        self.outcome = outcome
        self.message = message
    }

    /// The order id to follow up with, nil while queued or when the sandbox gave none.
    public var orderID: String? {
        switch outcome {
        case .placed(let id): id
        case .simulated(let id): id
        case .queued: nil
        }
    }
}

/// A modify or cancel the broker accepted.
public struct OrderAck: Sendable, Equatable {
    public var orderID: String
    /// True in analyze mode: only the sandbox's order changed.
    public var simulated: Bool
    public var message: String

    public init(orderID: String, simulated: Bool = false, message: String = "") {
        self.orderID = orderID
        self.simulated = simulated
        self.message = message
    }
}

/// What `cancelAllOrders` did: which orders it cancelled, which it could not, in the broker's words.
public struct CancelAllReply: Sendable, Equatable {
    public var cancelled: [String]
    public var failed: [String]
    public var simulated: Bool
    public var message: String

    public init(cancelled: [String], failed: [String], simulated: Bool = false, message: String = "") {
        self.cancelled = cancelled
        self.failed = failed
        self.simulated = simulated
        self.message = message
    }
}

/// What `closeAllPositions` said; OpenAlgo does not report each exit order, so this is all a caller learns.
public struct CloseAllReply: Sendable, Equatable {
    public var simulated: Bool
    public var message: String

    public init(simulated: Bool = false, message: String = "") {
        self.simulated = simulated
        self.message = message
    }
}

/// Whether orders reach the exchange (live) or OpenAlgo's sandbox (analyze): one flag for the whole OpenAlgo instance.
public enum AnalyzerMode: String, Sendable, Equatable {
    case live, analyze
}

/// Why an order call's outcome is unknown: it went out, and the broker may have acted on it.
public struct OrderUncertainty: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// No answer within the time limit.
        case timedOut
        /// The connection broke after the request was sent.
        case connectionLost(String)
        /// The caller stopped waiting (a handler's time limit).
        case cancelled
        /// 5xx: OpenAlgo's own failure, which can follow the broker's accept.
        case server(status: Int, message: String)
        /// A 2xx answer that is not OpenAlgo's JSON.
        case unreadable(String)
        /// "success" without an order id (some broker adapters on a failure body).
        case noOrderID
        /// "success" with an id no broker issues (empty, over 64 characters, control characters).
        case unusableOrderID(String)
    }

    /// The endpoint called, e.g. "placeorder".
    public var endpoint: String
    public var reason: Reason

    public init(endpoint: String, reason: Reason) {
        self.endpoint = endpoint
        self.reason = reason
    }

    /// True when the host itself failed, for the circuit breaker.
    public var isHostFailure: Bool {
        switch reason {
        case .timedOut, .connectionLost: true
        case .server(let status, _): status >= 500
        case .cancelled, .unreadable, .noOrderID, .unusableOrderID: false
        }
    }

    public var description: String {
        let why = switch reason {
        case .timedOut: "no answer in time"
        case .connectionLost(let message): "the connection broke: \(message)"
        case .cancelled: "stopped waiting"
        case let .server(status, message): "HTTP \(status): \(message)"
        case .unreadable(let reason): "an unreadable answer: \(reason)"
        case .noOrderID: "success without an order id"
        case .unusableOrderID(let id): "an unusable order id \"\(id.prefix(70).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())\""
        }
        return "the \(endpoint) call (\(why))"
    }
}

/// Broker order ids: opaque text, compared as text, and only ones a broker could have issued.
public enum OrderID {
    /// `raw` when it is 1 to 64 characters without control or format characters (bidi overrides, isolates and marks
    /// could make one id read as another in a reply), else nil.
    public static func sane(_ raw: String) -> String? {
        guard !raw.isEmpty, raw.count <= 64,
              !raw.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) else { return nil }
        return raw
    }
}
