import Foundation

/// The fake's order desk: what placeorder, modifyorder, cancelorder, cancelallorder, closeposition, orderstatus and
/// analyzer do, as openalgo-orders-options.md describes, with switches for semi-auto, analyze mode, numeric ids and faults.
struct FakeOrderDesk {
    var semiAuto = false
    var analyze = false
    var numericIDs = false
    /// What the next placeorder calls do instead of answering normally, first first.
    var faults: [FakeOpenAlgo.OrderFault] = []
    /// Live orders recorded, as order book rows.
    var rows: [[String: Any]] = []
    /// Every order endpoint's request body without the key, as received.
    var bodies: [(endpoint: String, fields: [String: Any])] = []
    var closeCalls = 0
    /// The position book; closeposition flattens it, as a broker's square-off does.
    var positions: [[String: Any]] = FakeOpenAlgoData.positions
    private var nextNumber = 1
    private var nextPending = 1

    static let endpoints: Set<String> = ["placeorder", "modifyorder", "cancelorder", "cancelallorder", "closeposition", "orderstatus",
                                         "analyzer", "analyzer/toggle", "positionbook"]

    /// The id of the nth order, a digit string like a live broker's.
    private mutating func newID() -> String {
        defer { nextNumber += 1 }
        return "25110700\(String(format: "%07d", nextNumber))"
    }

    /// The id as the broker sends it back: a string, or (XTS brokers) a JSON number.
    func sent(_ id: String) -> Any { numericIDs ? (Int64(id) ?? 0) as Any : id }

    /// A placeorder that passed validation, in its live shape; the row is recorded before the answer is built.
    mutating func place(_ fields: [String: Any]) -> FakeOpenAlgoState.Reply {
        if semiAuto {
            defer { nextPending += 1 }
            return FakeOpenAlgoState.json(200, ["status": "success", "message": "Order queued for approval in Action Center",
                                                "mode": "semi_auto", "pending_order_id": nextPending])
        }
        let id = newID()
        if analyze { return FakeOpenAlgoState.json(200, ["status": "success", "orderid": id, "mode": "analyze"]) }
        let priceType = (fields["pricetype"] as? String ?? "MARKET").uppercased()
        rows.append([
            "symbol": fields["symbol"] ?? "", "exchange": fields["exchange"] ?? "", "action": (fields["action"] as? String ?? "").uppercased(),
            "quantity": fields["quantity"] ?? 0, "price": priceType == "MARKET" ? 0.0 : fields["price"] ?? 0, "trigger_price": fields["trigger_price"] ?? 0,
            "pricetype": priceType, "product": fields["product"] ?? "MIS", "orderid": sent(id),
            "order_status": priceType == "MARKET" ? "complete" : "open", "timestamp": "07-Nov-2025 10:15:00",
        ])
        return FakeOpenAlgoState.json(200, ["status": "success", "orderid": sent(id)])
    }

    func statusRow(_ id: String) -> [String: Any]? {
        rows.first { "\($0["orderid"] ?? "")" == id }.map { row in
            var row = row
            row["average_price"] = row["order_status"] as? String == "complete" ? 1420.1 : 0.0
            return row
        }
    }

    mutating func setStatus(_ id: String, _ status: String) -> Bool {
        guard let index = rows.firstIndex(where: { "\($0["orderid"] ?? "")" == id && $0["order_status"] as? String == "open" }) else { return false }
        rows[index]["order_status"] = status
        return true
    }
}

extension FakeOpenAlgoState {
    /// The answer of an order endpoint, nil for any other endpoint.
    func orderAnswer(_ endpoint: String, _ fields: [String: Any]) async -> Reply? {
        guard FakeOrderDesk.endpoints.contains(endpoint) else { return nil }
        desk.bodies.append((endpoint, fields.filter { $0.key != "apikey" }))
        let blocked = "operation is not allowed in Semi-Auto mode. Please switch to Auto mode to"
        switch endpoint {
        case "placeorder":
            if !desk.faults.isEmpty, case .failBeforeRecording = desk.faults[0] {
                desk.faults.removeFirst()
                return Self.json(500, ["status": "error", "message": "Failed to place order due to internal error"])
            }
            if let problem = Self.orderProblem(fields, required: ["strategy", "exchange", "symbol", "action", "quantity"],
                                               known: ["strategy", "exchange", "symbol", "action", "quantity", "pricetype", "product", "price",
                                                       "trigger_price", "disclosed_quantity", "underlying_ltp"]) {
                return problem
            }
            let reply = desk.place(fields)
            if !desk.faults.isEmpty, case .acceptThenStall(let duration) = desk.faults[0] {
                desk.faults.removeFirst()
                // Recorded, then no answer within the client's time limit: the order exists, the caller cannot know.
                try? await Task.sleep(for: duration)
            }
            return reply
        case "modifyorder":
            if desk.semiAuto { return Self.json(403, ["status": "error", "message": "Modify order \(blocked) modify orders."]) }
            let all = ["strategy", "exchange", "symbol", "orderid", "action", "product", "pricetype", "price", "quantity", "disclosed_quantity",
                       "trigger_price"]
            if let problem = Self.orderProblem(fields, required: all, known: Set(all)) { return problem }
            let id = fields["orderid"] as? String ?? ""
            guard let index = desk.rows.firstIndex(where: { "\($0["orderid"] ?? "")" == id && $0["order_status"] as? String == "open" }) else {
                return Self.json(400, ["status": "error", "message": "Order \(id) is not open"])
            }
            for key in ["price", "quantity", "pricetype", "trigger_price"] { desk.rows[index][key] = fields[key] }
            return Self.json(200, ["status": "success", "orderid": id])
        case "cancelorder":
            if desk.semiAuto { return Self.json(403, ["status": "error", "message": "Cancel order \(blocked) cancel orders."]) }
            if let problem = Self.orderProblem(fields, required: ["strategy", "orderid"], known: ["strategy", "orderid"]) { return problem }
            let id = fields["orderid"] as? String ?? ""
            guard desk.setStatus(id, "cancelled") else { return Self.json(400, ["status": "error", "message": "Order \(id) is not open"]) }
            return Self.json(200, ["status": "success", "orderid": id])
        case "cancelallorder":
            if desk.semiAuto { return Self.json(403, ["status": "error", "message": "Cancel all orders \(blocked) cancel orders."]) }
            if let problem = Self.orderProblem(fields, required: ["strategy"], known: ["strategy"]) { return problem }
            let open = desk.rows.filter { $0["order_status"] as? String == "open" }.map { "\($0["orderid"] ?? "")" }
            for id in open { _ = desk.setStatus(id, "cancelled") }
            return Self.json(200, ["status": "success", "canceled_orders": open.map(desk.sent), "failed_cancellations": [],
                                   "message": "Canceled \(open.count) orders. Failed to cancel 0 orders."])
        case "closeposition":
            if desk.semiAuto { return Self.json(403, ["status": "error", "message": "Close position \(blocked) close positions."]) }
            if let problem = Self.orderProblem(fields, required: ["strategy"], known: ["strategy"]) { return problem }
            desk.closeCalls += 1
            if !desk.analyze { desk.positions = desk.positions.map { $0.merging(["quantity": 0, "pnl": 0]) { _, new in new } } }
            return Self.json(200, ["status": "success", "message": "All Open Positions Squared Off"].merging(desk.analyze ? ["mode": "analyze"] : [:]) { a, _ in a })
        case "orderstatus":
            if let problem = Self.orderProblem(fields, required: ["strategy", "orderid"], known: ["strategy", "orderid"]) { return problem }
            let id = fields["orderid"] as? String ?? ""
            guard let row = desk.statusRow(id) else { return Self.json(404, ["status": "error", "message": "Order \(id) not found"]) }
            return Self.json(200, ["status": "success", "data": row])
        case "positionbook":
            return Self.json(200, ["status": "success", "data": desk.positions])
        case "analyzer":
            return Self.json(200, ["status": "success", "data": analyzerData])
        default:  // analyzer/toggle
            if desk.semiAuto { return Self.json(403, ["status": "error", "message": "Operation analyzer/toggle \(blocked) toggle."]) }
            guard let on = fields["mode"] as? Bool else {
                return Self.json(400, ["status": "error", "message": ["mode": ["Missing data for required field."]]])
            }
            desk.analyze = on
            return Self.json(200, ["status": "success", "data": analyzerData, "message": "Analyzer mode switched to \(on ? "analyze" : "live")"])
        }
    }

    /// A Sendable figure read from the desk.
    func readDesk<Value: Sendable>(_ read: (FakeOrderDesk) -> Value) -> Value { read(desk) }

    private var analyzerData: [String: Any] { ["mode": desk.analyze ? "analyze" : "live", "analyze_mode": desk.analyze, "total_logs": 0] }

    /// OpenAlgo's order-endpoint 400: a message printing the Python dict of field errors.
    private static func orderProblem(_ fields: [String: Any], required: [String], known: Set<String>) -> Reply? {
        var errors: [String: String] = [:]
        for key in fields.keys where key != "apikey" && !known.contains(key) { errors[key] = "Unknown field." }
        for key in required where fields[key] == nil { errors[key] = "Missing data for required field." }
        if let id = fields["orderid"], !(id is String) { errors["orderid"] = "Not a valid string." }
        if let quantity = fields["quantity"] {
            let value = (quantity as? NSNumber)?.doubleValue ?? Double(quantity as? String ?? "") ?? .nan
            if !(value > 0) { errors["quantity"] = "Must be greater than 0." } else if value.rounded() != value {
                errors["quantity"] = "Fractional quantity (\(value)) is not allowed for non-crypto exchanges."
            }
        }
        if let action = fields["action"] as? String, !["BUY", "SELL"].contains(action.uppercased()) { errors["action"] = "Must be one of: BUY, SELL." }
        if let type = fields["pricetype"] as? String, !["MARKET", "LIMIT", "SL", "SL-M"].contains(type) {
            errors["pricetype"] = "Must be one of: MARKET, LIMIT, SL, SL-M."
        }
        if let product = fields["product"] as? String, !["MIS", "NRML", "CNC"].contains(product) { errors["product"] = "Must be one of: MIS, NRML, CNC." }
        guard !errors.isEmpty else { return nil }
        let printed = errors.keys.sorted().map { "'\($0)': ['\(errors[$0]!)']" }.joined(separator: ", ")
        return json(400, ["status": "error", "message": "{\(printed)}"])
    }
}

extension FakeOpenAlgo {
    /// What a placeorder call does instead of its usual answer.
    public enum OrderFault: Sendable {
        /// Records the order, then answers only after `Duration` (past the client's time limit): the order exists.
        case acceptThenStall(Duration)
        /// 500 "Failed to place order due to internal error" before anything is recorded.
        case failBeforeRecording
    }

    /// The next placeorder call meets `fault`.
    public func injectOrderFault(_ fault: OrderFault) async { await state.editDesk { $0.faults.append(fault) } }
    /// Semi-auto mode: new orders are queued for approval, modify/cancel/close/toggle answer 403.
    public func setSemiAuto(_ on: Bool) async { await state.editDesk { $0.semiAuto = on } }
    /// Analyze mode, as `/analyzer/toggle` sets it.
    public func setAnalyze(_ on: Bool) async { await state.editDesk { $0.analyze = on } }
    /// Replaces the position book, as trades made elsewhere would.
    public func setPositions(_ positions: [(symbol: String, exchange: String, product: String, quantity: Int, ltp: Double)]) async {
        await state.editDesk { desk in
            desk.positions = positions.map {
                ["symbol": $0.symbol, "exchange": $0.exchange, "product": $0.product, "quantity": $0.quantity, "average_price": $0.ltp,
                 "ltp": $0.ltp, "pnl": 0]
            }
        }
    }
    /// The open order `id` moves to `status` (a fill, a rejection by the exchange); an order not open stays as it is.
    public func setOrderStatus(_ id: String, _ status: String) async { await state.editDesk { _ = $0.setStatus(id, status) } }
    /// Order ids as JSON numbers (XTS brokers) instead of strings.
    public func setNumericOrderIDs(_ on: Bool) async { await state.editDesk { $0.numericIDs = on } }

    /// Live orders recorded (each appears in the order book and orderstatus).
    public var placedOrderCount: Int { get async { await state.readDesk { $0.rows.count } } }
    /// Calls of `endpoint` received, whatever their outcome.
    public func calls(_ endpoint: String) async -> Int { await state.requests.filter { $0.endpoint == endpoint }.count }
    /// The bodies `endpoint` received, without the key, as sorted-key JSON.
    public func bodies(_ endpoint: String) async -> [String] {
        await state.readDesk { desk in
            desk.bodies.filter { $0.endpoint == endpoint }.map {
                String(decoding: (try? JSONSerialization.data(withJSONObject: $0.fields, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
            }
        }
    }
    /// How many closeposition calls succeeded.
    public var closeCalls: Int { get async { await state.readDesk { $0.closeCalls } } }
    /// The status of a recorded order, nil when the fake has no such order.
    public func orderStatus(_ id: String) async -> String? { await state.readDesk { $0.statusRow(id)?["order_status"] as? String } }
}
