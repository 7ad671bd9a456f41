import BotKit
import Foundation
import Testing

@Suite struct SystemdNotifierTests {
    @Test func sendsStatesToTheNotifySocket() throws {
        let path = NSTemporaryDirectory() + "notify-\(UUID().uuidString.prefix(8)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "20000000"])
        notifier.ready()
        notifier.watchdog()
        var buffer = [UInt8](repeating: 0, count: 64)
        let first = recv(fd, &buffer, 64, 0)
        #expect(String(decoding: buffer[..<max(0, first)], as: UTF8.self) == "READY=1")
        let second = recv(fd, &buffer, 64, 0)
        #expect(String(decoding: buffer[..<max(0, second)], as: UTF8.self) == "WATCHDOG=1")
        #expect(notifier.watchdogInterval == .seconds(10))
    }

    @Test func doesNothingOutsideSystemd() {
        let notifier = SystemdNotifier(environment: [:])
        notifier.ready()
        #expect(notifier.watchdogInterval == nil)
    }
}
