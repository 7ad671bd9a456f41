import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct SystemdNotifierTests {
    @Test func sendsStatesToTheNotifySocket() throws {
        let socket = try NotifySocket()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "20000000"])
        notifier.ready()
        notifier.watchdog()
        #expect(socket.receive() == "READY=1")
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(notifier.watchdogInterval == .seconds(10))
    }

    @Test func doesNothingOutsideSystemd() {
        let notifier = SystemdNotifier(environment: [:])
        notifier.ready()
        #expect(notifier.watchdogInterval == nil)
    }
}
