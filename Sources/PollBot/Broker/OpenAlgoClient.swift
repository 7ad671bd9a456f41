import BotKit
import Foundation

/// OpenAlgo's REST API v1 over the shared curl engine: `POST {host}/api/v1/{endpoint}` with the key in the body.
public struct OpenAlgoClient: Broker {
    public let host: String
    /// In guarded memory (see `SecretBytes`); copied only into each request body, which is wiped after the call.
    private let apiKey: SecretBytes
    private let engine: CurlEngine
    private let connectTimeout: Duration
    private let timeout: Duration

    public init(host: String, apiKey: SecretBytes, connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10),
                engine: CurlEngine = .shared) {
        self.host = ConfigLoader.normalizedHost(host)
        self.apiKey = apiKey
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.engine = engine
    }

    /// A client for a key the caller already holds as text (a /link being checked, tests).
    public init(host: String, apiKey: String, connectTimeout: Duration = .seconds(3), timeout: Duration = .seconds(10),
                engine: CurlEngine = .shared) {
        self.init(host: host, apiKey: SecretBytes(Array(apiKey.utf8)), connectTimeout: connectTimeout, timeout: timeout,
                  engine: engine)
    }

    public var label: String { "OpenAlgo at \(host)" }
    public var isDemo: Bool { false }

    public func funds() async throws -> Funds { try await call("funds", as: Funds.self) }
    public func orderBook() async throws -> OrderBook { try await call("orderbook", as: OrderBook.self) }
    public func tradeBook() async throws -> [Trade] { try await call("tradebook", as: [Trade].self) }
    public func positions() async throws -> [Position] { try await call("positionbook", as: [Position].self) }
    public func holdings() async throws -> Holdings { try await call("holdings", as: Holdings.self) }
    public func intervals() async throws -> Intervals { try await call("intervals", as: Intervals.self) }
    public func ping() async throws { _ = try await call("ping", as: Ignored.self) }

    public func quote(_ instrument: Instrument) async throws -> Quote {
        try await call("quotes", ["symbol": instrument.symbol, "exchange": instrument.exchange], as: Quote.self, item: instrument.description)
    }

    public func quotes(_ instruments: [Instrument]) async throws -> [QuoteResult] {
        let symbols = instruments.map { ["symbol": $0.symbol, "exchange": $0.exchange] }
        return try await call("multiquotes", ["symbols": symbols], as: [QuoteResult].self, payload: "results")
    }

    public func history(_ instrument: Instrument, interval: String, start: Date, end: Date) async throws -> [Candle] {
        // IST has one offset (no daylight saving): a fixed-offset zone is exact and, unlike a named one, needs no ICU.
        let format = Date.ISO8601FormatStyle(timeZone: MarketCalendar.india.zone.fixedZone(at: start)).year().month().day()
        return try await call("history", [
            "symbol": instrument.symbol, "exchange": instrument.exchange, "interval": interval,
            "start_date": start.formatted(format), "end_date": end.formatted(format),
        ], as: [Candle].self, item: instrument.description)
    }

    /// `expiry` wants the derivatives segment (NFO for NSE stocks and indices, BFO for BSE's); an empty list is OpenAlgo's
    /// way of saying no options trade on the symbol. Dates come back ascending already; sorting again costs nothing.
    public func expiries(_ underlying: Instrument) async throws -> [ExpiryDate] {
        let segment = Self.derivativesSegment(of: underlying.exchange)
        let dates = try await call("expiry", ["symbol": underlying.symbol, "exchange": segment, "instrumenttype": "options"],
                                   as: [ExpiryDate].self, item: underlying.description)
        return Array(Set(dates)).sorted()
    }

    /// `optionchain` with Greeks; its fields sit at the top of the reply, not under `data`.
    public func optionChain(_ underlying: Instrument, expiry: ExpiryDate, strikeCount: Int?, interestRate: Double) async throws -> OptionChain {
        guard interestRate.isFinite, (0...100).contains(interestRate) else {
            throw BrokerError.invalidRequest("interest_rate: \(interestRate) is not a rate between 0 and 100 %")
        }
        var fields: [String: Any] = ["underlying": underlying.symbol, "exchange": underlying.exchange, "expiry_date": expiry.code,
                                     "with_greeks": true, "interest_rate": interestRate]
        if let strikeCount {
            guard (1...100).contains(strikeCount) else { throw BrokerError.invalidRequest("strike_count: \(strikeCount) is not between 1 and 100") }
            fields["strike_count"] = strikeCount
        }
        return try await call("optionchain", fields, as: OptionChain.self, payload: "", item: underlying.description)
    }

    /// NFO for NSE and its indices, BFO for BSE's; a derivatives exchange (NFO, MCX, …) stays as it is.
    static func derivativesSegment(of exchange: String) -> String {
        switch exchange {
        case "NSE", "NSE_INDEX": return "NFO"
        case "BSE", "BSE_INDEX": return "BFO"
        default: return exchange
        }
    }

    /// Calls `endpoint` and decodes the reply's `payload` member (`data` for most endpoints; "" for the whole reply).
    ///
    /// An unusable number fails the whole answer (`BrokerError.badResponse(.unusableValue)`, naming the field and,
    /// where the payload does not, `item`): the books' replies end in totals over every item, and a total that
    /// silently left one out is a wrong number a trader could act on. Multiquotes is the exception: `QuoteResult`
    /// turns a bad quote into that one symbol's failure.
    public func call<Result: Decodable>(_ endpoint: String, _ fields: [String: Any] = [:], as: Result.Type,
                                        payload: String = "data", item: String? = nil) async throws -> Result {
        let response: HTTPResponse
        do {
            response = try await post(endpoint, fields)
        } catch let error as HTTPTransportError {
            throw BrokerError.unreachable(error)
        }
        guard (200..<300).contains(response.status) else { throw Self.error(status: response.status, body: response.body) }
        let decoder = JSONDecoder()
        decoder.userInfo[Envelope<Result>.payloadKey] = payload
        do {
            let envelope = try decoder.decode(Envelope<Result>.self, from: response.body)
            guard envelope.status == "success", let data = envelope.payload else {
                throw Self.error(status: response.status, body: response.body)
            }
            return data
        } catch let error as BrokerError {
            throw error
        } catch var error as UnusableValue {
            if error.item == nil { error.item = item }
            throw BrokerError.badResponse(.unusableValue(error))
        } catch let DecodingError.dataCorrupted(context) {
            throw BrokerError.badResponse(.unreadable("\(endpoint): \(context.debugDescription)"))
        } catch {
            throw BrokerError.badResponse(.unreadable("\(endpoint) reply did not match OpenAlgo's format"))
        }
    }

    /// Sends `fields` to `endpoint` with the key spliced in and wiped afterwards; `once` takes a fresh connection, which
    /// libcurl cannot silently re-send the way it does a request on a reused connection that died.
    func post(_ endpoint: String, _ fields: [String: Any], once: Bool = false) async throws -> HTTPResponse {
        var body = try RequestBody.json(fields, apiKey: apiKey)
        defer { RequestBody.wipe(&body) }
        return try await engine.perform(HTTPRequest(url: "\(host)/api/v1/\(endpoint)", body: .json(body), timeout: timeout,
                                                    connectTimeout: connectTimeout, freshConnection: once))
    }

    private struct Envelope<Payload: Decodable>: Decodable {
        static var payloadKey: CodingUserInfoKey { CodingUserInfoKey(rawValue: "payload")! }
        var status: String
        var payload: Payload?

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            status = try container.decode(String.self, forKey: Key(stringValue: "status"))
            let name = decoder.userInfo[Self.payloadKey] as? String ?? "data"
            if name.isEmpty {
                payload = status == "success" ? try Payload(from: decoder) : nil
            } else {
                payload = try container.decodeIfPresent(Payload.self, forKey: Key(stringValue: name))
            }
        }
    }

    /// A 429's `retry_after` in whole seconds, 1 s to 1 h; nil when absent or not a finite number
    /// (1e300 would otherwise become Int.min through NSNumber and read as "retry now").
    static func retryAfter(_ value: Any?) -> Int? {
        let seconds = (value as? NSNumber)?.doubleValue ?? (value as? String).flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard let seconds, seconds.isFinite else { return nil }
        return Int(min(max(seconds.rounded(.up), 1), 3600))
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
            return .rateLimited(retryAfter: retryAfter(object["retry_after"]))
        case 400: return .invalidRequest(message)
        default: return .server(status: status, message: message)
        }
    }
}
