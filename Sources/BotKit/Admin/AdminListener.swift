import FlyingSocks
import Foundation
import Synchronization

/// Bounds on what one peer of the admin listener may take: it may be reachable from other machines.
public struct AdminLimits: Sendable, Equatable {
    /// Connections served at once; one more is answered 503 and closed, so a flood of idle connections cannot use up
    /// the descriptors the bot needs for Telegram, the broker and SQLite.
    public var maxConnections: Int
    /// How long a client has to send its request head, and again to take the answer.
    public var requestTimeout: Duration
    /// The longest request head (request line and headers) read; a longer one is answered 431 and closed.
    public var maxRequestBytes: Int

    public init(maxConnections: Int, requestTimeout: Duration, maxRequestBytes: Int) {
        self.maxConnections = max(1, maxConnections)
        self.requestTimeout = requestTimeout
        self.maxRequestBytes = max(256, maxRequestBytes)
    }

    /// 16 connections, 5 s, 8 KiB: far above what Prometheus or a browser needs.
    public static let standard = AdminLimits(maxConnections: 16, requestTimeout: .seconds(5), maxRequestBytes: 8192)
}

/// One request as the admin pages need it: no body is ever read (every page is GET or HEAD).
struct AdminRequest: Sendable {
    var method: String
    var path: String
    var authorization: String?
}

/// One answer; the listener adds the length and closes the connection after it.
struct AdminResponse: Sendable {
    var status: Int
    var reason: String
    var contentType: String
    var body: Data
    var extraHeaders: [(String, String)] = []
}

/// A small HTTP/1.1 listener with hard limits, one request per connection: FlyingFox's server reads header lines and
/// keeps idle connections without bound, which a hostile peer turns into memory and descriptor exhaustion.
final class AdminListener: Sendable {
    private let address: AdminAddress
    private let limits: AdminLimits
    private let respond: @Sendable (AdminRequest) async -> AdminResponse
    private let active = Mutex(0)
    private let state = Mutex(ListenState.waiting([]))

    private enum ListenState {
        case waiting([CheckedContinuation<UInt16, any Error>])
        case listening(UInt16)
        case failed(String)
    }

    init(address: AdminAddress, limits: AdminLimits, respond: @escaping @Sendable (AdminRequest) async -> AdminResponse) {
        self.address = address
        self.limits = limits
        self.respond = respond
    }

    /// Binds, then serves until the task is cancelled.
    func run() async throws {
        let socket: Socket
        do {
            socket = try Socket(domain: address.isIPv6 ? AF_INET6 : AF_INET, type: .stream)
            try socket.setValue(true, for: .localAddressReuse)
            if address.isIPv6 {
                try socket.bind(to: sockaddr_in6.inet6(ip6: address.host, port: address.port))
            } else {
                try socket.bind(to: sockaddr_in.inet(ip4: address.host, port: address.port))
            }
            try socket.listen(maxPendingConnection: 64)
        } catch {
            finishWaiting(.failed("cannot listen on \(address): \(error)"))
            throw error
        }
        defer { try? socket.close() }
        let pool: some AsyncSocketPool = .make(maxEvents: 64)
        try await pool.prepare()
        let listener = try AsyncSocket(socket: socket, pool: pool)
        switch try socket.sockname() {
        case let .ip4(_, port), let .ip6(_, port): finishWaiting(.listening(port))
        default: finishWaiting(.listening(address.port))
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await pool.run() }
            group.addTask { [self] in
                try await withThrowingDiscardingTaskGroup { connections in
                    while !Task.isCancelled {
                        let client: AsyncSocket
                        do {
                            client = try await listener.accept()
                        } catch is CancellationError {
                            break
                        } catch {
                            // Out of descriptors (EMFILE) or a peer gone before accept: wait a little and go on.
                            try? await Task.sleep(for: .milliseconds(50))
                            continue
                        }
                        guard admit() else {
                            refuse(client)
                            continue
                        }
                        connections.addTask { [self] in
                            defer { try? client.close(); release() }
                            await serve(client)
                        }
                    }
                }
                throw CancellationError()
            }
        }
    }

    /// The port once listening (the kernel's pick for port 0).
    func port() async throws -> UInt16 {
        try await withCheckedThrowingContinuation { continuation in
            let now: Result<UInt16, BackupError>? = state.withLock { state in
                switch state {
                case .waiting(var list):
                    list.append(continuation)
                    state = .waiting(list)
                    return nil
                case .listening(let port): return .success(port)
                case .failed(let problem): return .failure(BackupError(problem))
                }
            }
            if let now { continuation.resume(with: now) }
        }
    }

    private func finishWaiting(_ outcome: ListenState) {
        let waiting = state.withLock { state in
            guard case .waiting(let list) = state else { return [CheckedContinuation<UInt16, any Error>]() }
            state = outcome
            return list
        }
        for continuation in waiting {
            switch outcome {
            case .listening(let port): continuation.resume(returning: port)
            case .failed(let problem): continuation.resume(throwing: BackupError(problem))
            case .waiting: break
            }
        }
    }

    private func admit() -> Bool {
        active.withLock { count in
            guard count < limits.maxConnections else { return false }
            count += 1
            return true
        }
    }

    private func release() { active.withLock { $0 -= 1 } }

    /// One try to say 503 without waiting on the peer, then close.
    private func refuse(_ client: AsyncSocket) {
        let answer = Self.encode(AdminResponse(status: 503, reason: "Service Unavailable", contentType: "text/plain",
                                               body: Data("too many connections\n".utf8)), head: false)
        _ = try? client.socket.write(answer)
        try? client.close()
    }

    private func serve(_ client: AsyncSocket) async {
        let head: RequestHead
        do {
            head = try await within(limits.requestTimeout) { [limits] in try await Self.readHead(client, limit: limits.maxRequestBytes) }
        } catch is TimedOut {
            await send(AdminResponse(status: 408, reason: "Request Timeout", contentType: "text/plain",
                                     body: Data("the request took too long\n".utf8)), to: client, head: false)
            return
        } catch {
            return
        }
        switch head {
        case .tooLarge:
            await send(AdminResponse(status: 431, reason: "Request Header Fields Too Large", contentType: "text/plain",
                                     body: Data("the request head is over \(limits.maxRequestBytes) bytes\n".utf8)), to: client, head: false)
        case .malformed:
            await send(AdminResponse(status: 400, reason: "Bad Request", contentType: "text/plain",
                                     body: Data("not an HTTP request\n".utf8)), to: client, head: false)
        case .request(let request):
            await send(await respond(request), to: client, head: request.method == "HEAD")
        }
    }

    private func send(_ response: AdminResponse, to client: AsyncSocket, head: Bool) async {
        let bytes = Self.encode(response, head: head)
        _ = try? await within(limits.requestTimeout) { try await client.write(bytes) }
    }

    static func encode(_ response: AdminResponse, head: Bool) -> Data {
        var text = "HTTP/1.1 \(response.status) \(response.reason)\r\nContent-Type: \(response.contentType)\r\n"
        text += "Content-Length: \(response.body.count)\r\nCache-Control: no-store\r\nConnection: close\r\n"
        for (name, value) in response.extraHeaders { text += "\(name): \(value)\r\n" }
        var data = Data((text + "\r\n").utf8)
        if !head { data.append(response.body) }
        return data
    }

    enum RequestHead: Sendable {
        case request(AdminRequest)
        case tooLarge
        case malformed
    }

    /// Reads up to the blank line that ends the head, never more than `limit` bytes.
    static func readHead(_ client: AsyncSocket, limit: Int) async throws -> RequestHead {
        var bytes: [UInt8] = []
        while true {
            bytes += try await client.read(atMost: min(4096, limit + 1 - bytes.count))
            if let end = headEnd(bytes) { return parse(bytes[..<end]) }
            if bytes.count > limit { return .tooLarge }
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        for index in 1..<bytes.count where bytes[index] == 10 {
            if bytes[index - 1] == 10 { return index }
            if index >= 3, bytes[index - 1] == 13, bytes[index - 2] == 10 { return index }
        }
        return nil
    }

    static func parse(_ head: ArraySlice<UInt8>) -> RequestHead {
        // Split on bytes: in a Swift String "\r\n" is one Character and never equals "\n".
        let lines = head.split(separator: 10).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let first = lines.first else { return .malformed }
        let parts = first.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return .malformed }
        let path = String(parts[1].prefix { $0 != "?" && $0 != "#" })
        let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("authorization:") }
            .map { String($0.dropFirst("authorization:".count)).trimmingCharacters(in: .whitespaces) }
        return .request(AdminRequest(method: String(parts[0]), path: path, authorization: authorization))
    }

    private struct TimedOut: Error {}

    /// `work`, or `TimedOut` after `limit` (the work is cancelled, which wakes a read or write waiting on the peer).
    private func within<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask { try await Task.sleep(for: limit); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
        }
    }
}
