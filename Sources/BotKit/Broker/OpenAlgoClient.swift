import Foundation

/// OpenAlgo's REST API v1 over the shared curl engine: `POST {host}/api/v1/{endpoint}` with the key in the body.
public struct OpenAlgoClient: Sendable {
    public let host: String
    private let apiKey: String
    private let engine: CurlEngine
    private let connectTimeout: Duration
    private let timeout: Duration

    public init(host: String, apiKey: String, connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10),
                engine: CurlEngine = .shared) {
        self.host = ConfigLoader.normalizedHost(host)
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.engine = engine
    }

    /// Available cash, collateral, P&L and margin.
    public func funds() async throws -> Funds {
        try await call("funds", as: Funds.self)
    }

    /// Calls `endpoint` and decodes its `data`.
    public func call<Result: Decodable>(_ endpoint: String, _ fields: [String: String] = [:], as: Result.Type) async throws -> Result {
        var body = fields
        body["apikey"] = apiKey
        let request = HTTPRequest(url: "\(host)/api/v1/\(endpoint)", body: .json(try JSONEncoder().encode(body)),
                                  timeout: timeout, connectTimeout: connectTimeout)
        let response: HTTPResponse
        do {
            response = try await engine.perform(request)
        } catch let error as HTTPTransportError {
            throw BrokerError.unreachable(error)
        }
        guard (200..<300).contains(response.status) else { throw Self.error(status: response.status, body: response.body) }
        do {
            let envelope = try JSONDecoder().decode(Envelope<Result>.self, from: response.body)
            guard envelope.status == "success", let data = envelope.data else {
                throw Self.error(status: response.status, body: response.body)
            }
            return data
        } catch let error as BrokerError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            throw BrokerError.badResponse(context.debugDescription)
        } catch {
            throw BrokerError.badResponse("\(endpoint) reply did not match OpenAlgo's format")
        }
    }

    private struct Envelope<Data: Decodable>: Decodable {
        var status: String
        var data: Data?
    }

    /// Maps an error reply to what a trader can act on; the message may be a string or an object keyed by field.
    static func error(status: Int, body: Data) -> BrokerError {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        var message = object["message"] as? String ?? ""
        if let fields = object["message"] as? [String: Any] {
            message = fields.keys.sorted().map { key in
                let reasons = (fields[key] as? [String])?.joined(separator: " ") ?? "\(fields[key] ?? "")"
                return "\(key): \(reasons)"
            }.joined(separator: "; ")
        }
        if message.isEmpty { message = "HTTP \(status)" }
        switch status {
        case 403: return .rejectedKey(message)
        case 429:
            let retry = (object["retry_after"] as? NSNumber)?.intValue ?? (object["retry_after"] as? String).flatMap(Int.init)
            return .rateLimited(retryAfter: retry)
        case 400: return .invalidRequest(message)
        default: return .server(status: status, message: message)
        }
    }
}
