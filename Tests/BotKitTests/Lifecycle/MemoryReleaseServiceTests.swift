@testable import BotKit
import Logging
import Synchronization
import Testing

/// When the release runs: after start-up and a settle, then after work once quiet, at the latest every interval, never
/// after a failure or a stop.
@Suite struct MemoryReleaseServiceTests {
    final class Journal: Sendable {
        let events = Mutex<[String]>([])
        func note(_ event: String) { events.withLock { $0.append(event) } }
        var all: [String] { events.withLock { $0 } }
    }

    struct Stop: Error {}

    /// A service whose start-up is over at the `startedAfter`-th look, whose work count reads `activity` one look after
    /// another (the last one from then on), whose pauses return at once and are journaled, and which stops (a pause
    /// that throws, as cancellation does) once it has released `releases` times.
    static func service(startedAfter: Int, releases: Int, failing: Bool = false, activity: [Int] = [0],
                        journal: Journal) -> MemoryReleaseService {
        let looks = Mutex(0), counts = Mutex(activity[...])
        var service = MemoryReleaseService(startedUp: {
            looks.withLock { $0 += 1; return $0 >= startedAfter }
        }, activity: {
            counts.withLock { $0.count > 1 ? $0.removeFirst() : $0.first! }
        }, interval: .seconds(180), quiet: .seconds(60), settle: .seconds(2), logger: Logger(label: "test"))
        service.release = {
            journal.note("release")
            if failing { throw CleanPages.Failure(description: "no /proc") }
            return (30 << 20, 15 << 20)
        }
        service.pause = { duration in
            journal.note("pause \(duration)")
            if journal.all.filter({ $0 == "release" }).count >= releases { throw Stop() }
        }
        return service
    }

    @Test func waitsForStartUpAndASettleThenReleasesEveryIntervalWhenNothingHappens() async throws {
        let journal = Journal()
        try await Self.service(startedAfter: 3, releases: 2, journal: journal).run()
        let quietInterval = Array(repeating: "pause 60.0 seconds", count: 3)
        #expect(journal.all == [
            "pause 2.0 seconds", "pause 2.0 seconds",  // start-up not over at the first two looks
            "pause 2.0 seconds",  // the settle after it
            "release",
        ] + quietInterval + ["release", "pause 60.0 seconds"])
    }

    @Test func aBurstIsReleasedOnceTheBotWentQuietAfterIt() async throws {
        let journal = Journal()
        // At start-up 0 updates; then 40, 90 (the burst), 90 (a quiet minute), 90, 95, 95.
        try await Self.service(startedAfter: 1, releases: 3, activity: [0, 40, 90, 90, 90, 95, 95], journal: journal).run()
        #expect(journal.all == [
            "pause 2.0 seconds", "release",
            "pause 60.0 seconds", "pause 60.0 seconds", "pause 60.0 seconds", "release",  // 40, 90, 90: quiet
            "pause 60.0 seconds", "pause 60.0 seconds", "pause 60.0 seconds", "release",  // 90, 95, 95: quiet again
            "pause 60.0 seconds",
        ])
    }

    @Test func aFailedReleaseIsNotTriedAgain() async throws {
        let journal = Journal()
        try await Self.service(startedAfter: 1, releases: 5, failing: true, journal: journal).run()
        #expect(journal.all == ["pause 2.0 seconds", "release"])
    }

    @Test func aStopBeforeStartUpEndsReleasesNothing() async throws {
        let journal = Journal()
        try await Self.service(startedAfter: 100, releases: 0, journal: journal).run()
        #expect(journal.all == ["pause 2.0 seconds"])
    }

    @Test func megabytesAreRoundedToOneDecimal() {
        #expect(MemoryReleaseService.megabytes(0) == "0.0")
        #expect(MemoryReleaseService.megabytes(1_048_576) == "1.0")
        #expect(MemoryReleaseService.megabytes(15_938_355) == "15.2")
        #expect(MemoryReleaseService.megabytes(-5) == "0.0")
        // No overflow trap, whatever the count.
        #expect(MemoryReleaseService.megabytes(Int.max) == "8796093022208.0")
    }
}
