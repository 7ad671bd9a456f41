import BotKit
import Foundation

/// OpenAlgo's order endpoints (openalgo-orders-options.md). Each write goes out exactly once, on a fresh connection.
extension OpenAlgoClient {
    public func placeOrder(_ order: OrderRequest) async throws -> OrderPlacement {
        try order.validate()
        let reply = try await write("placeorder", order.fields)
        let simulated = reply.mode == "analyze"
        if let unusable = reply.unusableOrderID {
            throw BrokerError.outcomeUnknown(OrderUncertainty(endpoint: "placeorder", reason: .unusableOrderID(unusable)))
        }
        if reply.mode == "semi_auto" || (reply.orderID == nil && reply.pendingID != nil) {
            return OrderPlacement(.queued(pendingID: reply.pendingID), message: reply.message)
        }
        guard let orderID = reply.orderID else {
            if simulated { return OrderPlacement(.simulated(orderID: nil), message: reply.message) }
            // Pitfall 3: some adapters answer success with a null id on a failure body; the order may or may not exist.
            throw BrokerError.outcomeUnknown(OrderUncertainty(endpoint: "placeorder", reason: .noOrderID))
        }
        guard let id = OrderID.sane(orderID) else {
            throw BrokerError.outcomeUnknown(OrderUncertainty(endpoint: "placeorder", reason: .unusableOrderID(orderID)))
        }
        return OrderPlacement(simulated ? .simulated(orderID: id) : .placed(orderID: id), message: reply.message)
    }

    public func modifyOrder(id: String, to order: OrderRequest) async throws -> OrderAck {
        try order.validate()
        let id = try Self.sentID(id)
        var fields = order.fields
        fields["orderid"] = id
        fields["disclosed_quantity"] = 0
        let reply = try await write("modifyorder", fields)
        return OrderAck(orderID: id, simulated: reply.mode == "analyze", message: reply.message)
    }

    public func cancelOrder(id: String) async throws -> OrderAck {
        let id = try Self.sentID(id)
        let reply = try await write("cancelorder", ["orderid": id, "strategy": OrderRequest.defaultStrategy])
        return OrderAck(orderID: id, simulated: reply.mode == "analyze", message: reply.message)
    }

    public func cancelAllOrders() async throws -> CancelAllReply {
        let reply = try await write("cancelallorder", ["strategy": OrderRequest.defaultStrategy])
        return CancelAllReply(cancelled: reply.cancelled, failed: reply.failed, simulated: reply.mode == "analyze", message: reply.message)
    }

    public func closeAllPositions() async throws -> CloseAllReply {
        let reply = try await write("closeposition", ["strategy": OrderRequest.defaultStrategy])
        return CloseAllReply(simulated: reply.mode == "analyze", message: reply.message)
    }

    /// A read: retried by `ResilientBroker` like the books, as asking twice changes nothing.
    public func orderStatus(id: String) async throws -> OrderStatus {
        try await call("orderstatus", ["orderid": try Self.sentID(id), "strategy": OrderRequest.defaultStrategy], as: OrderStatus.self)
    }

    public func analyzerMode() async throws -> AnalyzerMode {
        try await call("analyzer", as: AnalyzerState.self).mode
    }

    @discardableResult
    public func setAnalyzerMode(_ on: Bool) async throws -> AnalyzerMode {
        let reply = try await write("analyzer/toggle", ["mode": on])
        guard let mode = reply.analyzer?.mode else {
            throw BrokerError.outcomeUnknown(OrderUncertainty(endpoint: "analyzer/toggle", reason: .unreadable("no mode in the answer")))
        }
        return mode
    }

    /// An id the caller passes back to the broker: OpenAlgo wants it as a string; a malformed one is refused unsent.
    private static func sentID(_ id: String) throws -> String {
        guard let sane = OrderID.sane(id) else { throw BrokerError.invalidRequest("orderid: not an order id") }
        return sane
    }

    /// Sends one write and classifies what came back.
    ///
    /// Refused before acceptance (nothing happened): the request never left (no such host, connection refused),
    /// or a 4xx (validation, key, rate limit, the broker's rejection). Outcome unknown (the broker may have acted):
    /// a timeout, a connection broken after sending, a cancelled wait, a 5xx, or a 2xx that cannot be read.
    private func write(_ endpoint: String, _ fields: [String: Any]) async throws -> WriteReply {
        func unknown(_ reason: OrderUncertainty.Reason) -> BrokerError {
            .outcomeUnknown(OrderUncertainty(endpoint: endpoint, reason: reason))
        }
        let response: HTTPResponse
        do {
            response = try await post(endpoint, fields, once: true)
        } catch let error as HTTPTransportError {
            if error.requestNeverSent { throw BrokerError.unreachable(error) }
            throw unknown(error.isTimeout ? .timedOut : .connectionLost(error.message))
        } catch is CancellationError {
            throw unknown(.cancelled)
        }
        if response.status >= 500 {
            let message = if case let .server(_, message) = Self.error(status: response.status, body: response.body) { message } else { "" }
            throw unknown(.server(status: response.status, message: message))
        }
        guard (200..<300).contains(response.status) else { throw Self.error(status: response.status, body: response.body) }
        guard let reply = try? JSONDecoder().decode(WriteReply.self, from: response.body) else {
            throw unknown(.unreadable("\(endpoint) reply did not match OpenAlgo's format"))
        }
        guard reply.status == "success" else { throw Self.error(status: response.status, body: response.body) }
        return reply
    }
}

/// `/analyzer`'s data: `analyze_mode` as a boolean, or `mode` as "analyze"/"live".
struct AnalyzerState: Decodable {
    var mode: AnalyzerMode

    enum CodingKeys: String, CodingKey { case mode, analyzeMode = "analyze_mode" }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let on = try? container.decode(Bool.self, forKey: .analyzeMode) {
            mode = on ? .analyze : .live
        } else if let mode = AnalyzerMode(rawValue: try container.text(.mode)) {
            self.mode = mode
        } else {
            throw DecodingError.dataCorruptedError(forKey: .mode, in: container, debugDescription: "analyzer mode is neither live nor analyze")
        }
    }
}

/// The answer to any write: the fields the order endpoints use, each optional, ids as strings or numbers.
struct WriteReply: Decodable {
    var status: String
    var message: String
    var mode: String
    /// The id as received (text or digits), nil when absent or null; its sanity is the caller's to judge.
    var orderID: String?
    /// An id sent as a number no id can be (a fraction, 1e300), as received.
    var unusableOrderID: String?
    var pendingID: String?
    var cancelled: [String]
    var failed: [String]
    var analyzer: AnalyzerState?

    enum CodingKeys: String, CodingKey {
        case status, message, mode, orderID = "orderid", pendingID = "pending_order_id"
        case cancelled = "canceled_orders", failed = "failed_cancellations", data
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(String.self, forKey: .status)
        message = (try? container.decodeIfPresent(String.self, forKey: .message)) ?? ""
        mode = (try? container.decodeIfPresent(String.self, forKey: .mode)) ?? ""
        (orderID, unusableOrderID) = try Self.id(container, .orderID)
        pendingID = try Self.id(container, .pendingID).text
        cancelled = try container.decodeIfPresent([ListedID].self, forKey: .cancelled)?.map(\.text) ?? []
        failed = try container.decodeIfPresent([ListedID].self, forKey: .failed)?.map(\.text) ?? []
        analyzer = try? container.decodeIfPresent(AnalyzerState.self, forKey: .data)
    }

    /// The id's text, or (for a fraction or a number beyond 64 bits) the value that no id can be; both nil when absent or null.
    private static func id(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> (text: String?, unusable: String?) {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return (nil, nil) }
        do {
            return (try container.text(key), nil)
        } catch let error as UnusableValue {
            return (nil, error.value)
        }
    }

    /// An id in cancelallorder's lists: a string, a number, or (analyze mode's failures) `{orderid, message}`.
    struct ListedID: Decodable {
        var text: String

        enum CodingKeys: String, CodingKey { case orderID = "orderid", message }

        init(from decoder: any Decoder) throws {
            if let container = try? decoder.container(keyedBy: CodingKeys.self) {
                let id = try container.text(.orderID), message = (try? container.decodeIfPresent(String.self, forKey: .message)) ?? nil
                text = message.map { "\(id) (\($0))" } ?? id
                return
            }
            let single = try decoder.singleValueContainer()
            if let value = try? single.decode(String.self) {
                text = value
            } else if let value = try? single.decode(Int64.self) {
                text = String(value)
            } else {
                throw DecodingError.dataCorruptedError(in: single, debugDescription: "an order id is neither text nor a whole number")
            }
        }
    }
}
