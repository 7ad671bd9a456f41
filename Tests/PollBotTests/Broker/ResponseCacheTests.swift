import BotKit
@testable import PollBot
import Foundation
import Synchronization
import TestSupport
import Testing

@Suite struct ResponseCacheTests {
    final class Counter: Sendable {
        let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    @Test func answersWithinTheTTLComeFromTheCacheUntilExpiryRefreshOrInvalidation() async throws {
        let clock = ManualDate(), calls = Counter()
        let cache = ResponseCache(now: { clock.now })
        func get(_ account: String = "1/main", refresh: Bool = false, ttl: TimeInterval = 30) async throws -> Fetched<Int> {
            try await cache.value(account: account, call: "positions", ttl: ttl, refresh: refresh) { calls.next() }
        }
        let first = try await get()
        #expect(first.value == 1 && !first.fromCache)
        clock.advance(by: 29)
        let hit = try await get()
        #expect(hit.value == 1 && hit.fromCache && hit.fetchedAt == first.fetchedAt)
        clock.advance(by: 2)
        #expect(try await get().value == 2)  // expired
        #expect(try await get(refresh: true).value == 3)  // Refresh always asks
        #expect(try await get("1/other").value == 4)  // accounts do not share
        await cache.invalidate(account: "1/main")  // an order action
        #expect(try await get().value == 5)
        #expect(try await get("1/other").value == 4)
        #expect(try await get("2/x", ttl: 0).value == 6)  // ttl 0: never kept
        #expect(try await get("2/x", ttl: 0).value == 7)
    }

    @Test func aFullCacheMakesRoomOnlyByDroppingExpiredAnswers() async throws {
        let clock = ManualDate(), calls = Counter()
        let cache = ResponseCache(capacity: 2, now: { clock.now })
        func get(_ account: String) async throws -> Fetched<Int> {
            try await cache.value(account: account, call: "funds", ttl: 10) { calls.next() }
        }
        _ = try await get("a")
        _ = try await get("b")
        // Full and nothing expired: the third answer is served but not kept, and nothing is evicted early.
        #expect(try await get("c").value == 3)
        #expect(await cache.count == 2)
        #expect(try await get("c").value == 4)
        #expect(try await get("a").fromCache)
        clock.advance(by: 11)
        // Now both kept answers are past their TTL: they make room for the new one.
        #expect(try await get("c").value == 5)
        #expect(await cache.count == 1)
        #expect(try await get("c").fromCache)
    }
}
