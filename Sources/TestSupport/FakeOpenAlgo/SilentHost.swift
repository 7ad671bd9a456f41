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
        let (socket, port) = try LoopbackListener.open(backlog: 64)
        self.port = port
        self.socket = socket
        LoopbackListener.serve(socket) { [accepted] client in accepted.sockets.withLock { $0.append(client) } }
    }

    /// Closes the listener and every accepted connection.
    public func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        accepted.sockets.withLock { $0.forEach { close($0) } }
    }
}
