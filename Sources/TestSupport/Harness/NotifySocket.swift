import Foundation

/// A unix datagram socket standing in for systemd's `$NOTIFY_SOCKET`: collects what the bot reports.
public final class NotifySocket: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    /// Binds a fresh socket under the temp directory.
    public init() throws {
        path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0 else {
            close(descriptor)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next datagram, waiting for it.
    public func receive() -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return String(decoding: buffer[..<max(0, count)], as: UTF8.self)
    }

    /// Every datagram already waiting, without blocking.
    public func drain() -> [String] {
        var states: [String] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count > 0 else { return states }
            states.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
    }
}
