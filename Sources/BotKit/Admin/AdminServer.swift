import Foundation
import ServiceLifecycle

/// The operator's HTTP listener: `/metrics` (Prometheus text), `/healthz` (the process answers), `/readyz`
/// (the readiness test, 200 or 503 with JSON saying which check failed) and `/` (the status page, when given one).
///
/// It runs on its own task in the service group, on a thread of its own (never on the concurrency pool that the
/// poll loop and the handlers share), and only reads what the bot already keeps (the metrics registry, the
/// store's counts; the store's reads take turns with its writes on the store's thread). `limits` bound what any
/// one peer can hold: connections, time and request size.
public final class AdminServer: Sendable {
    private let listener: AdminListener

    public init(settings: AdminSettings, metrics: BotMetrics, readiness: Readiness, status: StatusPage? = nil,
                limits: AdminLimits = .standard) throws {
        let routes = AdminRoutes(token: settings.token, metrics: metrics, readiness: readiness, status: status)
        listener = AdminListener(address: settings.address, limits: limits) { await routes.respond(to: $0) }
    }

    /// The admin listener's thread, started with the first listener.
    static let executor = ThreadExecutor(name: "admin")

    /// Serves until the task is cancelled; every task it starts prefers the admin thread.
    public func run() async throws {
        try await withTaskExecutorPreference(Self.executor) { try await listener.run() }
    }

    /// The port it listens on, once it does (the kernel's pick for port 0).
    public func port() async throws -> UInt16 { try await listener.port() }
}

/// The pages and the bearer check before them.
struct AdminRoutes: Sendable {
    let token: String?
    let metrics: BotMetrics
    let readiness: Readiness
    let status: StatusPage?

    func respond(to request: AdminRequest) async -> AdminResponse {
        guard authorized(request.authorization) else {
            return AdminResponse(status: 401, reason: "Unauthorized", contentType: "text/plain",
                                 body: Data("a bearer token is required\n".utf8), extraHeaders: [("WWW-Authenticate", "Bearer")])
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return AdminResponse(status: 405, reason: "Method Not Allowed", contentType: "text/plain", body: Data("GET only\n".utf8),
                                 extraHeaders: [("Allow", "GET, HEAD")])
        }
        if request.path == "/", let status {
            return Self.ok("text/html; charset=utf-8", Data(await status.html().utf8))
        }
        switch request.path {
        case "/metrics":
            return Self.ok("text/plain; version=0.0.4; charset=utf-8", Data(await metrics.exposition().utf8))
        case "/healthz":
            return Self.ok("application/json", Data("{\"live\":true}".utf8))
        case "/readyz":
            let report = await readiness.evaluate()
            return AdminResponse(status: report.ready ? 200 : 503, reason: report.ready ? "OK" : "Service Unavailable",
                                 contentType: "application/json", body: report.json())
        default:
            return AdminResponse(status: 404, reason: "Not Found", contentType: "text/plain",
                                 body: Data("not found: try /metrics, /healthz or /readyz\n".utf8))
        }
    }

    /// Constant-time comparison, so the answer's timing says nothing about how much of a guess was right.
    private func authorized(_ header: String?) -> Bool {
        guard let token else { return true }
        let given = Array((header ?? "").utf8)
        let expected = Array("Bearer \(token)".utf8)
        // Every byte of `given` is looked at whatever its length, so not even the length shows in the timing.
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for (index, byte) in given.enumerated() { difference |= byte ^ expected[index % expected.count] }
        return difference == 0
    }

    private static func ok(_ type: String, _ body: Data) -> AdminResponse {
        AdminResponse(status: 200, reason: "OK", contentType: type, body: body)
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
