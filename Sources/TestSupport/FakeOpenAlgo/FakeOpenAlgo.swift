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
    private(set) var requests: [(endpoint: String, apiKey: String)] = []

    init(validKeys: Set<String>) { self.validKeys = validKeys }

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
        switch endpoint {
        case "ping":
            return Self.json(200, ["status": "success", "data": ["message": "pong", "broker": "zerodha"]])
        case "funds":
            // Strings and numbers mixed, as brokers send them.
            return Self.json(200, ["status": "success", "data": [
                "availablecash": "320.66", "collateral": 0, "m2mrealized": "-12.50", "m2munrealized": 45.25, "utiliseddebits": "679.34",
            ]])
        default:
            return Self.json(404, ["status": "error", "message": "Broker-specific module not found"])
        }
    }

    static func json(_ status: Int, _ object: [String: Any]) -> Reply {
        Reply(status: status, body: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }
}
