@testable import BotKit
import Foundation
import TestSupport
import Testing

/// A hostile peer on the admin port: an endless header, a client that never finishes its request, a flood of idle
/// connections. Each is cut off, so the listener never grows memory nor holds the process's descriptors.
@Suite struct AdminListenerLimitsTests {
    struct Rig {
        let server: AdminServer
        let running: Task<Void, any Error>
        let port: UInt16

        init(limits: AdminLimits) async throws {
            let readiness = Readiness([])
            server = try AdminServer(settings: AdminSettings(address: AdminAddress(host: "127.0.0.1", port: 0)),
                                     metrics: BotMetrics(), readiness: readiness, limits: limits)
            running = Task { [server] in try await server.run() }
            port = try await server.port()
        }

        func stop() { running.cancel() }
    }

    @Test func anEndlessHeaderIsAnswered431AndClosed() async throws {
        let rig = try await Rig(limits: .standard)
        defer { rig.stop() }
        let client = try RawClient(port: rig.port)
        defer { client.close() }
        await client.send("GET /metrics HTTP/1.1\r\nX-Pad: " + String(repeating: "a", count: 64 << 10))
        let answer = await client.readUntilClosed(within: 5)
        #expect(answer.closed, "the server still reads an endless header line")
        #expect(answer.text.hasPrefix("HTTP/1.1 431"), "got: \(answer.text.prefix(80))")
    }

    @Test func aClientThatNeverFinishesItsRequestIsCutOff() async throws {
        let rig = try await Rig(limits: AdminLimits(maxConnections: 4, requestTimeout: .milliseconds(200), maxRequestBytes: 8192))
        defer { rig.stop() }
        let client = try RawClient(port: rig.port)
        defer { client.close() }
        await client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
        let answer = await client.readUntilClosed(within: 5)
        #expect(answer.closed, "an idle half-request keeps its connection forever")
        #expect(answer.text.hasPrefix("HTTP/1.1 408"), "got: \(answer.text.prefix(80))")
    }

    @Test func connectionsBeyondTheLimitAreRefusedAndTheSlotsComeBack() async throws {
        let rig = try await Rig(limits: AdminLimits(maxConnections: 2, requestTimeout: .seconds(30), maxRequestBytes: 8192))
        defer { rig.stop() }
        let holders = try (0..<2).map { _ in try RawClient(port: rig.port) }
        for holder in holders { await holder.send("GET /healthz HTTP/1.1\r\n") }
        // Both slots are taken once the listener has read from each holder; give it a moment to accept them.
        try await Task.sleep(for: .milliseconds(200))
        let extra = try RawClient(port: rig.port)
        defer { extra.close() }
        let refused = await extra.readUntilClosed(within: 5)
        #expect(refused.closed)
        #expect(refused.text.hasPrefix("HTTP/1.1 503"), "got: \(refused.text.prefix(80))")
        for holder in holders { holder.close() }
        // A closed client frees its slot: a scrape is served again.
        var status = 0
        for _ in 0..<50 where status != 200 {
            status = (try? await AdminScrape.get("/healthz", port: rig.port).status) ?? 0
            if status != 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == 200)
    }

    @Test func headAnswersHeadersOnlyAndAResponseClosesTheConnection() async throws {
        let rig = try await Rig(limits: .standard)
        defer { rig.stop() }
        let client = try RawClient(port: rig.port)
        defer { client.close() }
        await client.send("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        let answer = await client.readUntilClosed(within: 5)
        #expect(answer.closed)
        #expect(answer.text.hasPrefix("HTTP/1.1 200"))
        #expect(answer.text.contains("Content-Length: 13\r\n"))
        #expect(answer.text.hasSuffix("\r\n\r\n"), "HEAD got a body: \(answer.text)")
    }
}

/// A blocking loopback client that writes raw bytes and reads until the server closes.
final class RawClient: Sendable {
    private let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { Glibc.close(fd); throw BackupError("cannot connect to port \(port)") }
    }

    /// Sends what the server takes; a server that stopped reading makes the rest fail, which is what some tests want.
    /// On a thread of its own: a blocking call on the concurrency pool's few threads would starve the server under test.
    func send(_ text: String) async {
        await Self.offPool { self.sendBlocking(text) }
    }

    /// What arrived, and whether the server closed the connection within `seconds`.
    func readUntilClosed(within seconds: Int) async -> (text: String, closed: Bool) {
        await Self.offPool { self.readBlocking(within: seconds) }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Blocks the calling thread for at most 2 s.
    func sendBlocking(_ text: String) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
    }

    private func readBlocking(within seconds: Int) -> (text: String, closed: Bool) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { received += buffer[..<count]; continue }
            let closed = count == 0 || errno == ECONNRESET
            return (String(decoding: received, as: UTF8.self), closed)
        }
    }

    func close() { Glibc.close(fd) }
}
