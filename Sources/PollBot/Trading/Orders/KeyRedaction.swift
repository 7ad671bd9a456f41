import BotKit
import Foundation

/// Removes an account's API key from broker texts where they enter the order desk: an OpenAlgo error may echo the
/// request it refused, key and all, and that text would otherwise reach the reply, the audit and the log.
struct KeyRedaction: Sendable {
    static let mask = "[api key]"
    /// The session's own key (whatever its shape); nil on the paper broker.
    let key: String?

    /// `text` without the key and without any run of 64 hex digits (the shape of every OpenAlgo key).
    func callAsFunction(_ text: String) -> String {
        var text = text
        // A very short "key" would mask ordinary words; real keys are far longer.
        if let key, key.count >= 8 { text = text.replacingOccurrences(of: key, with: Self.mask) }
        guard APIKeyShape.appears(in: text) else { return text }
        return text.replacingOccurrences(of: "[0-9A-Fa-f]{64,}", with: Self.mask, options: .regularExpression)
    }

    /// `error` with its texts redacted: a `BrokerError` keeps its case (the reply depends on it), anything else
    /// becomes a plain error carrying its redacted description.
    func callAsFunction(_ error: any Error) -> any Error {
        guard let brokerError = error as? BrokerError else {
            let said = "\(error)", clean = self(said)
            return clean == said ? error : Redacted(description: clean)
        }
        switch brokerError {
        case .rejectedKey(let message): return BrokerError.rejectedKey(self(message))
        case .invalidRequest(let message): return BrokerError.invalidRequest(self(message))
        case let .server(status, message): return BrokerError.server(status: status, message: self(message))
        case .unreachable(var transport):
            transport.message = self(transport.message)
            return BrokerError.unreachable(transport)
        case .badResponse(.unreadable(let reason)): return BrokerError.badResponse(.unreadable(self(reason)))
        case .outcomeUnknown(var uncertainty):
            switch uncertainty.reason {
            case .connectionLost(let message): uncertainty.reason = .connectionLost(self(message))
            case let .server(status, message): uncertainty.reason = .server(status: status, message: self(message))
            case .unreadable(let reason): uncertainty.reason = .unreadable(self(reason))
            case .unusableOrderID(let id): uncertainty.reason = .unusableOrderID(self(id))
            case .timedOut, .cancelled, .noOrderID: break
            }
            return BrokerError.outcomeUnknown(uncertainty)
        case .rateLimited, .badResponse, .circuitOpen: return brokerError
        }
    }

    /// An error whose text had the key in it.
    struct Redacted: Error, CustomStringConvertible {
        let description: String
    }
}

extension TradingHub {
    /// The key of `userID`'s account `name`, opened only to be masked out of broker texts; nil on the paper broker or
    /// when it does not open.
    func keyForRedaction(userID: Int64, account name: String) async -> String? {
        guard paper == nil, let account = try? await store.accounts(of: userID).first(where: { $0.name == name }),
              let key = try? vault.openSecret(account.sealed, userID: userID, account: account.name, host: account.host) else { return nil }
        return key.utf8String()
    }
}
