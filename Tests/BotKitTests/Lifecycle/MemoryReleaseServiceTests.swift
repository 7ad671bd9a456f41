@testable import BotKit
import Logging
import Synchronization
import Testing

/// When the release runs: after start-up and a settle, then every interval, never after a failure or a stop.
@Suite struct MemoryReleaseServiceTests {
    final class Journal: Sendable {
        let events = Mutex<[String]>([])
        func note(_ event: String) { events.withLock { $0.append(event) } }
        var all: [String] { events.withLock { $0 } }
    }

    struct Stop: Error {}

    /// A service whose start-up is over at the `startedAfter`-th look, whose pauses return at once and are journaled,
    /// and which stops (a pause that throws, as cancellation does) once it has released `releases` times.
    static func service(startedAfter: Int, releases: Int, failing: Bool = false, journal: Journal) -> MemoryReleaseService {
        let looks = Mutex(0)
        var service = MemoryReleaseService(startedUp: {
            looks.withLock { $0 += 1; return $0 >= startedAfter }
        }, interval: .seconds(3600), settle: .seconds(2), logger: Logger(label: "test"))
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

    @Test func waitsForStartUpAndASettleThenReleasesEveryInterval() async throws {
        let journal = Journal()
        try await Self.service(startedAfter: 3, releases: 2, journal: journal).run()
        #expect(journal.all == [
            "pause 2.0 seconds", "pause 2.0 seconds",  // start-up not over at the first two looks
            "pause 2.0 seconds",  // the settle after it
            "release", "pause 3600.0 seconds", "release", "pause 3600.0 seconds",
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
