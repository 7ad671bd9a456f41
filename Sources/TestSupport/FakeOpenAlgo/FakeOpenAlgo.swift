import FlyingFox
import Foundation

/// A fake OpenAlgo REST API v1 on 127.0.0.1, answering as shared/docs/openalgo-api.md describes.
///
/// Keys not in `validKeys` get 403 "Invalid openalgo apikey"; numbers come
/// as strings or numbers like real brokers send them; 429 with retry_after,
/// 500 and stalls can be injected. Every request is recorded.
public final class FakeOpenAlgo: Sendable {
    public let port: UInt16
    let state: FakeOpenAlgoState
    private let server: HTTPServer
    private let serverTask: Task<Void, any Error>

    /// The value for `[broker] host`.
    public var host: String { "http://127.0.0.1:\(port)" }

    /// Starts a fake accepting `validKeys`.
    public static func start(validKeys: Set<String>) async throws -> FakeOpenAlgo {
        let state = FakeOpenAlgoState(validKeys: validKeys)
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 60, logger: .disabled)
        await server.appendRoute("*") { request in
            let body = (try? await request.bodyData) ?? Data()
            let reply = await state.answer(path: request.path, body: body)
            return FlyingFox.HTTPResponse(statusCode: HTTPStatusCode(reply.status, phrase: "Status"),
                                          headers: [.contentType: "application/json"], body: reply.body)
        }
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case let .ip4(_, port)? = await server.listeningAddress else { throw CancellationError() }
        ListenerTuning.disableNagle(onListenerAt: port)
        return FakeOpenAlgo(port: port, state: state, server: server, task: task)
    }

    private init(port: UInt16, state: FakeOpenAlgoState, server: HTTPServer, task: Task<Void, any Error>) {
        self.port = port
        self.state = state
        self.server = server
        self.serverTask = task
    }

    public func stop() async {
        await server.stop(timeout: 1)
        serverTask.cancel()
    }

    /// The next `times` calls of `endpoint` answer this way.
    public func inject(_ failure: FakeOpenAlgoState.Failure, for endpoint: String, times: Int = 1) async {
        await state.inject(failure, for: endpoint, times: times)
    }

    /// The candles the history endpoint returns (JSON objects with timestamp, open, high, low, close, volume).
    public func setHistory(_ candles: [[String: Any]]) async {
        let data = (try? JSONSerialization.data(withJSONObject: candles)) ?? Data()
        await state.setHistoryJSON(data)
    }

    /// From now on `endpoint` answers 200 with `body` as it is (nil: its usual answer again), for JSON no serializer
    /// writes, such as a bare `inf` or `1.75e308`.
    public func setReply(_ endpoint: String, body: String?) async {
        await state.setReply(endpoint, body: body)
    }

    /// While true, `optionchain` answers as OpenAlgo does when the option quotes fail: 200, every price 0.
    public func failOptionQuotes(_ fail: Bool) async { await state.setOptionQuotesFail(fail) }

    /// Every request received: endpoint and the apikey it carried.
    public var requests: [(endpoint: String, apiKey: String)] { get async { await state.requests } }
}

/// The fake's accounts and failure queue.
public actor FakeOpenAlgoState {
    /// What an injected call does.
    public enum Failure: Sendable {
        case status(Int, message: String, retryAfter: Int? = nil)
        case stall(Duration)
    }

    struct Reply {
        var status: Int
        var body: Data
    }

    private let validKeys: Set<String>
    private var failures: [String: [Failure]] = [:]
    private var replies: [String: String] = [:]
    private(set) var requests: [(endpoint: String, apiKey: String)] = []
    /// The order endpoints' state (FakeOpenAlgoOrders.swift).
    var desk = FakeOrderDesk()
    /// Tests' changes to quotes (FakeOpenAlgoQuotes.swift).
    var quoteOverrides: [String: QuoteOverride] = [:]

    func editDesk(_ change: (inout FakeOrderDesk) -> Void) { change(&desk) }

    init(validKeys: Set<String>) { self.validKeys = validKeys }

    func setReply(_ endpoint: String, body: String?) { replies[endpoint] = body }

    func inject(_ failure: Failure, for endpoint: String, times: Int) {
        failures[endpoint, default: []].append(contentsOf: Array(repeating: failure, count: times))
    }

    func answer(path: String, body: Data) async -> Reply {
        let endpoint = path.replacingOccurrences(of: "/api/v1/", with: "").trimmingCharacters(in: ["/"])
        let fields = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let apiKey = fields["apikey"] as? String ?? ""
        requests.append((endpoint, apiKey))
        if var queue = failures[endpoint], !queue.isEmpty {
            let failure = queue.removeFirst()
            failures[endpoint] = queue
            switch failure {
            case let .status(status, message, retryAfter):
                var object: [String: Any] = ["status": "error", "message": message]
                if let retryAfter { object["retry_after"] = retryAfter }
                return Self.json(status, object)
            case .stall(let duration):
                try? await Task.sleep(for: duration)
            }
        }
        guard validKeys.contains(apiKey) else { return Self.json(403, ["status": "error", "message": "Invalid openalgo apikey"]) }
        if let reply = replies[endpoint] { return Reply(status: 200, body: Data(reply.utf8)) }
        if let reply = await orderAnswer(endpoint, fields) { return reply }
        return route(endpoint, fields)
    }

    private func route(_ endpoint: String, _ fields: [String: Any]) -> Reply {
        func success(_ data: Any) -> Reply { Self.json(200, ["status": "success", "data": data]) }
        switch endpoint {
        case "ping":
            return success(["message": "pong", "broker": "zerodha"])
        case "funds":
            return success(FakeOpenAlgoData.funds)
        case "positionbook": return success(FakeOpenAlgoData.positions)
        case "orderbook":
            let orders = FakeOpenAlgoData.orders + desk.rows
            func count(_ status: String) -> Int { orders.filter { $0["order_status"] as? String == status }.count }
            return success(["orders": orders, "statistics": [
                "total_buy_orders": orders.filter { $0["action"] as? String == "BUY" }.count,
                "total_sell_orders": orders.filter { $0["action"] as? String == "SELL" }.count,
                "total_completed_orders": count("complete"), "total_open_orders": count("open"), "total_rejected_orders": count("rejected"),
            ]])
        case "tradebook": return success(FakeOpenAlgoData.trades)
        case "holdings": return success(FakeOpenAlgoData.holdings)
        case "intervals": return success(FakeOpenAlgoData.intervals)
        case "quotes":
            if let problem = Self.validate(fields, ["symbol", "exchange"]) { return problem }
            guard let quote = quoteData(fields["symbol"] as? String ?? "")
                    ?? FakeOpenAlgoOptions.quote(symbol: fields["symbol"] as? String ?? "", exchange: fields["exchange"] as? String ?? "") else {
                return Self.json(500, ["status": "error", "message": "Symbol \(fields["symbol"] ?? "") not found for exchange \(fields["exchange"] ?? "")"])
            }
            return success(quote)
        case "multiquotes":
            guard let symbols = fields["symbols"] as? [[String: Any]], !symbols.isEmpty else {
                return Self.json(400, ["status": "error", "message": ["symbols": ["Missing data for required field."]]])
            }
            let results: [[String: Any]] = symbols.map { entry in
                let symbol = entry["symbol"] as? String ?? "", exchange = entry["exchange"] as? String ?? ""
                if let quote = quoteData(symbol) { return ["symbol": symbol, "exchange": exchange, "data": quote] }
                return ["symbol": symbol, "exchange": exchange, "error": "Symbol not found"]
            }
            return Self.json(200, ["status": "success", "results": results])
        case "expiry":
            return expiry(fields)
        case "optionchain":
            return optionChain(fields)
        case "history":
            if let problem = Self.validate(fields, ["symbol", "exchange", "interval", "start_date", "end_date"]) { return problem }
            return success(history)
        default:
            return Self.json(404, ["status": "error", "message": "Broker-specific module not found"])
        }
    }

    private var optionQuotesFail = false

    func setOptionQuotesFail(_ fail: Bool) { optionQuotesFail = fail }

    /// `expiry`: derivatives segments only, unknown fields refused, an empty list (still "success") without options.
    private func expiry(_ fields: [String: Any]) -> Reply {
        if let problem = Self.unknownFields(fields, ["symbol", "exchange", "instrumenttype"]) { return problem }
        if let problem = Self.validate(fields, ["symbol", "exchange", "instrumenttype"]) { return problem }
        let exchange = fields["exchange"] as? String ?? ""
        guard FakeOpenAlgoOptions.derivativeExchanges.contains(exchange) else {
            return Self.json(400, ["status": "error", "message": "Exchange must be one of: \(FakeOpenAlgoOptions.derivativeExchanges.joined(separator: ", "))"])
        }
        let symbol = fields["symbol"] as? String ?? ""
        guard symbol == FakeOpenAlgoOptions.underlying, exchange == "NFO", fields["instrumenttype"] as? String == "options" else {
            return Self.json(200, ["status": "success", "message": "No expiry dates found for \(symbol) options in \(exchange)", "data": []])
        }
        let dates = FakeOpenAlgoOptions.expiries
        return Self.json(200, ["status": "success", "message": "Found \(dates.count) expiry dates for \(symbol) options in \(exchange)", "data": dates])
    }

    /// `optionchain`: the reply's fields at the top level, not under `data`.
    private func optionChain(_ fields: [String: Any]) -> Reply {
        if let problem = Self.unknownFields(fields, ["underlying", "exchange", "expiry_date", "strike_count", "with_greeks", "interest_rate"]) {
            return problem
        }
        let missing = ["underlying", "exchange", "expiry_date"].filter { (fields[$0] as? String ?? "").isEmpty }
        if !missing.isEmpty {
            return Self.json(400, ["status": "error", "message": "Validation error",
                                   "errors": Dictionary(uniqueKeysWithValues: missing.map { ($0, ["Missing data for required field."]) })])
        }
        let underlying = fields["underlying"] as? String ?? "", code = fields["expiry_date"] as? String ?? ""
        let strikeCount = fields["strike_count"] as? Int
        if fields["strike_count"] != nil, !(1...100).contains(strikeCount ?? 0) {
            return Self.json(400, ["status": "error", "message": "Validation error", "errors": ["strike_count": ["Must be between 1 and 100."]]])
        }
        guard underlying == FakeOpenAlgoOptions.underlying, FakeOpenAlgoOptions.expiries.map(FakeOpenAlgoOptions.code).contains(code) else {
            return Self.json(404, ["status": "error", "message": "No strikes found for \(underlying) expiring \(code). Please check expiry date or update master contract."])
        }
        return Self.json(200, FakeOpenAlgoOptions.chain(expiryCode: code, strikeCount: strikeCount,
                                                        withGreeks: fields["with_greeks"] as? Bool ?? false, quotesFail: optionQuotesFail))
    }

    /// OpenAlgo refuses any field its schema does not know: 400 `{"<key>": ["Unknown field."]}`.
    private static func unknownFields(_ fields: [String: Any], _ known: Set<String>) -> Reply? {
        let unknown = fields.keys.filter { $0 != "apikey" && !known.contains($0) }.sorted()
        guard !unknown.isEmpty else { return nil }
        return json(400, ["status": "error", "message": Dictionary(uniqueKeysWithValues: unknown.map { ($0, ["Unknown field."]) })])
    }

    /// Candles `history` returns; tests set them.
    private var history: [[String: Any]] = []

    func setHistoryJSON(_ data: Data) { history = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] ?? [] }

    /// A 400 keyed by field for missing fields, and OpenAlgo's message for an exchange it does not know.
    private static func validate(_ fields: [String: Any], _ required: [String]) -> Reply? {
        let missing = required.filter { (fields[$0] as? String ?? "").isEmpty }
        if !missing.isEmpty {
            return json(400, ["status": "error", "message": Dictionary(uniqueKeysWithValues: missing.map { ($0, ["Missing data for required field."]) })])
        }
        let exchanges = ["NSE", "BSE", "NFO", "BFO", "CDS", "BCD", "MCX", "NCDEX", "NSE_INDEX", "BSE_INDEX"]
        if let exchange = fields["exchange"] as? String, !exchanges.contains(exchange) {
            return json(400, ["status": "error", "message": "Invalid exchange '\(exchange)'. Must be one of: \(exchanges.joined(separator: ", "))"])
        }
        return nil
    }

    static func json(_ status: Int, _ object: [String: Any]) -> Reply {
        Reply(status: status, body: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}
