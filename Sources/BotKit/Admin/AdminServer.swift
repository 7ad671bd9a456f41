import FlyingFox
import Foundation
import ServiceLifecycle

/// The operator's HTTP listener: `/metrics` (Prometheus text), `/healthz` (the process answers), `/readyz`
/// (the readiness test, 200 or 503 with JSON saying which check failed) and `/` (the status page, when given one).
///
/// It runs on its own task in the service group and only reads what the bot already keeps (the metrics
/// registry, the store's counts), so a scrape never waits on the poll loop nor holds it up.
public final class AdminServer: Sendable {
    private let server: HTTPServer
    private let settings: AdminSettings

    public init(settings: AdminSettings, metrics: BotMetrics, readiness: Readiness, status: StatusPage? = nil) throws {
        self.settings = settings
        let routes = AdminRoutes(token: settings.token, metrics: metrics, readiness: readiness, status: status)
        let host = settings.address.host, port = settings.address.port
        server = settings.address.isIPv6
            ? HTTPServer(address: try sockaddr_in6.inet6(ip6: host, port: port), timeout: 15, logger: .disabled, handler: routes)
            : HTTPServer(address: try sockaddr_in.inet(ip4: host, port: port), timeout: 15, logger: .disabled, handler: routes)
    }

    /// Serves until the task is cancelled.
    public func run() async throws { try await server.run() }

    /// The port it listens on, once it does (the kernel's pick for port 0).
    public func port() async throws -> UInt16 {
        try await server.waitUntilListening()
        switch await server.listeningAddress {
        case let .ip4(_, port)?, let .ip6(_, port)?: return port
        default: return settings.address.port
        }
    }
}

/// The pages and the bearer check before them.
struct AdminRoutes: HTTPHandler {
    let token: String?
    let metrics: BotMetrics
    let readiness: Readiness
    let status: StatusPage?

    func handleRequest(_ request: FlyingFox.HTTPRequest) async throws -> FlyingFox.HTTPResponse {
        guard authorized(request) else {
            return Self.reply(.unauthorized, "text/plain", Data("a bearer token is required\n".utf8),
                              extra: [HTTPHeader("WWW-Authenticate"): "Bearer"])
        }
        guard request.method == .GET || request.method == .HEAD else {
            return Self.reply(.methodNotAllowed, "text/plain", Data("GET only\n".utf8))
        }
        if request.path == "/", let status {
            return Self.reply(.ok, "text/html; charset=utf-8", Data(await status.html().utf8))
        }
        switch request.path {
        case "/metrics":
            return Self.reply(.ok, "text/plain; version=0.0.4; charset=utf-8", Data(await metrics.exposition().utf8))
        case "/healthz":
            return Self.reply(.ok, "application/json", Data("{\"live\":true}".utf8))
        case "/readyz":
            let report = await readiness.evaluate()
            return Self.reply(report.ready ? .ok : .serviceUnavailable, "application/json", report.json())
        default:
            return Self.reply(.notFound, "text/plain", Data("not found: try /metrics, /healthz or /readyz\n".utf8))
        }
    }

    /// Constant-time comparison, so the answer's timing says nothing about how much of a guess was right.
    private func authorized(_ request: FlyingFox.HTTPRequest) -> Bool {
        guard let token else { return true }
        let given = Array((request.headers[.authorization] ?? "").utf8)
        let expected = Array("Bearer \(token)".utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func reply(_ status: HTTPStatusCode, _ type: String, _ body: Data,
                              extra: [HTTPHeader: String] = [:]) -> FlyingFox.HTTPResponse {
        var headers: [HTTPHeader: String] = [.contentType: type, HTTPHeader("Cache-Control"): "no-store"]
        headers.merge(extra) { $1 }
        return FlyingFox.HTTPResponse(statusCode: status, headers: HTTPHeaders(headers), body: body)
    }
}

/// The admin listener as a service: a graceful shutdown stops it at once (a scrape in flight is cut short); the bot
/// lists it first, so it is the last service stopped.
struct AdminService: Service {
    let server: AdminServer
    /// Told the port once the listener accepts connections.
    let listening: @Sendable (UInt16) -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [server, listening] in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await server.run() }
                    listening(try await server.port())
                }
            }
        } catch where Task.isShuttingDownGracefully || Task.isCancelled {
            // A stopped listener reports its closed socket as an error; at shutdown that is the plan, not a failure.
        }
    }
}
