import Foundation
import Synchronization

/// A TCP host on 127.0.0.1 that accepts connections and never answers: a hung broker.
///
/// It counts the connections it accepted, so a test can tell how many attempts a client made.
public final class SilentHost: Sendable {
    public let port: UInt16
    private let socket: Int32
    private let accepted = Accepted()

    private final class Accepted: Sendable {
        let sockets = Mutex<[Int32]>([])
    }

    public var host: String { "http://127.0.0.1:\(port)" }
    /// Connections accepted so far.
    public var connections: Int { accepted.sockets.withLock { $0.count } }

    public init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        guard bound == 0, listen(socket, 64) == 0 else { throw CocoaError(.fileWriteUnknown) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        port = UInt16(bigEndian: address.sin_port)
        self.socket = socket
        let thread = Thread { [socket, accepted] in
            while true {
                let client = accept(socket, nil, nil)
                if client < 0 { return }
                accepted.sockets.withLock { $0.append(client) }
            }
        }
        thread.start()
    }

    /// Closes the listener and every accepted connection.
    public func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        accepted.sockets.withLock { $0.forEach { close($0) } }
    }
}
