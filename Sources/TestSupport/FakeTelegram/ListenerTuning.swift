import Foundation

/// Sets TCP_NODELAY on the listening socket bound to `port`; accepted sockets inherit it on Linux.
///
/// FlyingFox writes a response's headers and body separately and offers no
/// hook for socket options: with Nagle on, the body then waits for the
/// client's delayed ACK (about 40 ms), which a real Telegram never adds.
enum ListenerTuning {
    static func disableNagle(onListenerAt port: UInt16) {
        for fd in Int32(3)..<Int32(4096) {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let found = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            guard found == 0, address.sin_family == sa_family_t(AF_INET), UInt16(bigEndian: address.sin_port) == port else { continue }
            var listening: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0, listening == 1 else { continue }
            var on: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            return
        }
    }
}
