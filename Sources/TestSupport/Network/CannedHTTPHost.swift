import Foundation
import Synchronization

/// A TCP host on 127.0.0.1 that answers every request with the same raw bytes, then closes.
///
/// For what no well-behaved fake would send: oversized bodies, bodies without
/// Content-Length, redirects. It counts the connections it accepted.
public final class CannedHTTPHost: Sendable {
    public let port: UInt16
    private let socket: Int32
    private let accepted = Counter()

    private final class Counter: Sendable {
        let value = Mutex(0)
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    /// Connections accepted so far.
    public var connections: Int { accepted.value.withLock { $0 } }

    /// `response` is written as it is: status line, headers and body.
    public init(response: Data) throws {
        let (socket, port) = try LoopbackListener.open(backlog: 16)
        self.port = port
        self.socket = socket
        LoopbackListener.serve(socket) { [accepted] client in
            accepted.value.withLock { $0 += 1 }
            Self.answer(client, with: response)
        }
    }

    /// An HTTP/1.1 response; `chunked` leaves out Content-Length, so only the reader can tell the size.
    public static func response(status: Int = 200, headers: [String] = [], body: Data, chunked: Bool = false) -> Data {
        var head = "HTTP/1.1 \(status) X\r\nConnection: close\r\n" + headers.map { $0 + "\r\n" }.joined()
        head += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(body.count)\r\n\r\n"
        var data = Data(head.utf8)
        guard chunked else { return data + body }
        var offset = 0
        while offset < body.count {
            let size = min(65_536, body.count - offset)
            data += Data((String(size, radix: 16) + "\r\n").utf8) + body[offset..<offset + size] + Data("\r\n".utf8)
            offset += size
        }
        return data + Data("0\r\n\r\n".utf8)
    }

    private static func answer(_ client: Int32, with response: Data) {
        // Read the request head; the requests sent here are GETs without a body.
        var request = Data(), buffer = [UInt8](repeating: 0, count: 4096)
        while request.range(of: Data("\r\n\r\n".utf8)) == nil {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            request.append(contentsOf: buffer[0..<count])
        }
        response.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { break }
                offset += written
            }
        }
        close(client)
    }

    /// Closes the listener.
    public func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }
}
