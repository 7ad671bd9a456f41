@testable import BotKit
import Foundation
import Logging
import ServiceLifecycle
import TestSupport
import Testing

/// The systemd service in a real service group, reporting to a stand-in notify socket.
@Suite struct SystemdServiceTests {
    /// A group running only the systemd service with `environment` and `readiness` (always ready unless given), and
    /// what it has reported so far (READY=1 by then).
    struct Rig {
        let directory: TemporaryDirectory
        let socket: NotifySocket
        let group: ServiceGroup
        let running: Task<Void, any Error>
        var states: [String] = []

        init(watchdogUSec: String? = nil, readiness: Readiness = Readiness([])) async throws {
            directory = try TemporaryDirectory()
            socket = try NotifySocket()
            var environment = ["NOTIFY_SOCKET": socket.path]
            environment["WATCHDOG_USEC"] = watchdogUSec
            let service = SystemdService(notifier: SystemdNotifier(environment: environment), readiness: readiness)
            group = ServiceGroup(services: [service], logger: Logger(label: "test"))
            running = Task { [group] in try await group.run() }
            await SystemdServiceTests.collect(socket, into: &states) { !$0.isEmpty }
        }
    }

    /// Collects datagrams until `enough` holds or five seconds pass; polls, so no pool thread blocks in `recv`.
    static func collect(_ socket: NotifySocket, into states: inout [String], until enough: ([String]) -> Bool) async {
        let deadline = ContinuousClock.now + .seconds(5)
        states += socket.drain()
        while !enough(states), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            states += socket.drain()
        }
    }

    @Test func readyThenWatchdogPingsWhileThePollLoopIsFreshThenStoppingAtTheGracefulShutdown() async throws {
        // WATCHDOG_USEC of 20 ms: a ping every 10 ms.
        var rig = try await Rig(watchdogUSec: "20000")
        defer { rig.directory.remove() }
        await Self.collect(rig.socket, into: &rig.states) { $0.count >= 2 }
        #expect(Array(rig.states.prefix(2)) == ["READY=1", "WATCHDOG=1"])
        await rig.group.triggerGracefulShutdown()
        try await rig.running.value
        rig.states += rig.socket.drain()
        #expect(rig.states.last == "STOPPING=1")
        #expect(rig.states.dropFirst().dropLast().allSatisfy { $0 == "WATCHDOG=1" })
    }

    @Test func withoutAWatchdogItSaysReadyAndStoppingOnly() async throws {
        var rig = try await Rig()
        defer { rig.directory.remove() }
        await rig.group.triggerGracefulShutdown()
        try await rig.running.value
        rig.states += rig.socket.drain()
        #expect(rig.states == ["READY=1", "STOPPING=1"])
    }

    @Test func aCancelledGroupDoesNotSayStopping() async throws {
        var rig = try await Rig()
        defer { rig.directory.remove() }
        rig.running.cancel()
        _ = try? await rig.running.value
        rig.states += rig.socket.drain()
        #expect(rig.states == ["READY=1"], "a fatal stop is not an orderly one")
    }
}
