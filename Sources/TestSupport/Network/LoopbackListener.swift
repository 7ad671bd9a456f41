import Foundation

/// A listening TCP socket on 127.0.0.1 with a port the kernel picked, for hand-made test hosts.
enum LoopbackListener {
    /// The listening socket and its port.
    static func open(backlog: Int32 = 64) throws -> (socket: Int32, port: UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        guard bound == 0, listen(socket, backlog) == 0 else {
            close(socket)
            throw CocoaError(.fileWriteUnknown)
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return (socket, UInt16(bigEndian: address.sin_port))
    }

    /// Accepts connections on a thread of its own, handing each to `handle`, until the socket is closed.
    static func serve(_ socket: Int32, _ handle: @escaping @Sendable (Int32) -> Void) {
        let thread = Thread {
            while true {
                let client = accept(socket, nil, nil)
                if client < 0 { return }
                handle(client)
            }
        }
        thread.start()
    }
}
