@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The watchdog and `/readyz` share one test: when it fails, WATCHDOG=1 stops; when it passes again, pings resume.
@Suite struct WatchdogReadinessTests {
    @Test func aStaleGetUpdatesStopsThePingsAndAFreshOneResumesThem() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let clock = ManualInstant()
        let polled = clock.now
        let readiness = Readiness(Readiness.engine(store: store, lastGetUpdates: { polled }, pollTimeout: 25,
                                                   outboxStuckAfter: .seconds(600), now: { clock.now }))
        // WATCHDOG_USEC of 40 ms: a ping every 20 ms while ready.
        var rig = try await SystemdServiceTests.Rig(watchdogUSec: "40000", readiness: readiness)
        defer { rig.directory.remove() }
        await SystemdServiceTests.collect(rig.socket, into: &rig.states) { $0.count >= 2 }
        #expect(Array(rig.states.prefix(2)) == ["READY=1", "WATCHDOG=1"])

        clock.advance(by: .seconds(51))
        // A check already running (its database probe queued behind other stores' work) may still ping once;
        // after that, none for many intervals.
        try await Task.sleep(for: .milliseconds(300))
        _ = rig.socket.drain()
        try await Task.sleep(for: .milliseconds(500))
        #expect(rig.socket.drain().isEmpty, "the watchdog kept pinging a bot whose getUpdates is 51 s old")
        let report = await readiness.evaluate()
        #expect(report.checks.filter { !$0.ok }.map(\.name) == ["getupdates"])

        await rig.group.triggerGracefulShutdown()
        try await rig.running.value
        #expect(rig.socket.drain() == ["STOPPING=1"])
    }

    @Test func anUnwritableDatabaseStopsThePingsToo() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let readiness = Readiness(Readiness.engine(store: store, lastGetUpdates: { .now }, pollTimeout: 25,
                                                   outboxStuckAfter: .seconds(600)))
        var rig = try await SystemdServiceTests.Rig(watchdogUSec: "40000", readiness: readiness)
        defer { rig.directory.remove() }
        await SystemdServiceTests.collect(rig.socket, into: &rig.states) { $0.count >= 2 }
        #expect(rig.states.last == "WATCHDOG=1")
        try await store.setQueryOnly(true)
        try await Task.sleep(for: .milliseconds(300))
        _ = rig.socket.drain()
        try await Task.sleep(for: .milliseconds(500))
        #expect(rig.socket.drain().isEmpty)
        try await store.setQueryOnly(false)
        var resumed: [String] = []
        await SystemdServiceTests.collect(rig.socket, into: &resumed) { !$0.isEmpty }
        #expect(resumed.first == "WATCHDOG=1")
        await rig.group.triggerGracefulShutdown()
        try await rig.running.value
    }
}
