import BotKit
@testable import PollBot
import Foundation
import Synchronization
import Testing

@Suite struct ResponseCacheTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    final class Counter: Sendable {
        let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    @Test func answersWithinTheTTLComeFromTheCacheUntilExpiryRefreshOrInvalidation() async throws {
        let clock = Clock(), calls = Counter()
        let cache = ResponseCache(now: { clock.now.withLock { $0 } })
        func get(_ account: String = "1/main", refresh: Bool = false, ttl: TimeInterval = 30) async throws -> Fetched<Int> {
            try await cache.value(account: account, call: "positions", ttl: ttl, refresh: refresh) { calls.next() }
        }
        let first = try await get()
        #expect(first.value == 1 && !first.fromCache)
        clock.advance(29)
        let hit = try await get()
        #expect(hit.value == 1 && hit.fromCache && hit.fetchedAt == first.fetchedAt)
        clock.advance(2)
        #expect(try await get().value == 2)  // expired
        #expect(try await get(refresh: true).value == 3)  // Refresh always asks
        #expect(try await get("1/other").value == 4)  // accounts do not share
        await cache.invalidate(account: "1/main")  // an order action
        #expect(try await get().value == 5)
        #expect(try await get("1/other").value == 4)
        #expect(try await get("2/x", ttl: 0).value == 6)  // ttl 0: never kept
        #expect(try await get("2/x", ttl: 0).value == 7)
    }
}
