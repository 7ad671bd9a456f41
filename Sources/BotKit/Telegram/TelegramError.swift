/// A failed Bot API call, typed from `{ok:false,...}` or from the transport.
public enum TelegramError: Error, Sendable, CustomStringConvertible {
    /// Telegram answered `ok:false`.
    case api(code: Int, description: String, retryAfter: Int?, migrateToChatID: Int64?)
    /// No HTTP response: connection refused or dropped, timeout.
    case transport(HTTPTransportError)
    /// A response that is not a Bot API envelope (a proxy's error page, truncated JSON).
    case badResponse(status: Int, reason: String)

    public var description: String {
        switch self {
        case let .api(code, description, retryAfter, migrate):
            var text = "Telegram error \(code): \(description)"
            if let retryAfter { text += " (retry after \(retryAfter) s)" }
            if let migrate { text += " (chat migrated to \(migrate))" }
            return text
        case .transport(let error): return error.description
        case let .badResponse(status, reason): return "unexpected response (HTTP \(status)): \(reason)"
        }
    }

    /// The Bot API error code, if Telegram answered.
    public var code: Int? {
        if case let .api(code, _, _, _) = self { return code }
        return nil
    }

    /// True for failures worth retrying later: network trouble, 5xx, 429.
    public var isTransient: Bool {
        switch self {
        case .transport: return true
        case let .api(code, _, _, _): return code >= 500 || code == 429
        case let .badResponse(status, _): return status >= 500 || status == 0
        }
    }

    /// Lowercased description, for the few errors that only the text identifies.
    public var lowercasedDescription: String {
        if case let .api(_, description, _, _) = self { return description.lowercased() }
        return ""
    }
}
