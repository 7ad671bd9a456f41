import Testing
@testable import BotKit

@Suite struct TokenBucketTests {
    @Test func burstThenRefill() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(capacity: 3, ratePerSecond: 1, now: start)
        #expect(bucket.take(now: start) == nil)
        #expect(bucket.take(now: start) == nil)
        #expect(bucket.take(now: start) == nil)
        let wait = bucket.take(now: start)
        #expect(wait != nil && wait! > .milliseconds(900) && wait! <= .seconds(1))
        #expect(bucket.take(now: start + .seconds(1)) == nil)
    }

    @Test func privateChatsGetAboutOnePerSecondAfterABurst() {
        let start = ContinuousClock.now
        var limiter = FloodLimiter(enabled: true, now: start)
        let message = OutgoingMessage.text("x", to: 42)
        let decisions = (0..<5).map { _ in limiter.admit(message, now: start) }
        #expect(decisions.prefix(3).allSatisfy { $0 == .send })
        guard case .waitChat = decisions[3] else { Issue.record("4th message should wait, got \(decisions[3])"); return }
        // Another chat is not held up by the first one's limit.
        #expect(limiter.admit(.text("y", to: 43), now: start) == .send)
    }

    @Test func overallLimitHoldsEveryone() {
        let start = ContinuousClock.now
        var limiter = FloodLimiter(enabled: true, now: start)
        for chat in 0..<30 { #expect(limiter.admit(.text("x", to: Int64(chat)), now: start) == .send) }
        guard case .waitAll = limiter.admit(.text("x", to: 999), now: start) else {
            Issue.record("31st message in one second should wait")
            return
        }
    }

    @Test func disabledLimiterAdmitsEverything() {
        var limiter = FloodLimiter(enabled: false)
        for _ in 0..<100 { #expect(limiter.admit(.text("x", to: 1)) == .send) }
    }
}

@Suite struct UserRateLimiterTests {
    @Test func idleUsersAreForgottenSoMemoryStaysBounded() {
        let limiter = UserRateLimiter(perMinute: 30, burst: 10, globalPerSecond: 0)
        let start = ContinuousClock.now
        for user in Int64(0)..<100_000 { _ = limiter.check(user: user, now: start) }
        // A minute later every bucket is full again; the next sweep forgets them.
        for user in Int64(0)..<1000 { _ = limiter.check(user: 1_000_000 + user, now: start + .seconds(60)) }
        #expect(limiter.trackedUsers <= 1000)
    }

    @Test func aZeroLimitIsOff() {
        let limiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0)
        for _ in 0..<1000 { #expect(limiter.check(user: 1) == .allow) }
    }

    @Test func theGlobalLimitHoldsEveryone() {
        let start = ContinuousClock.now
        let limiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 5, now: { start })
        let verdicts = (Int64(0)..<6).map { limiter.check(user: $0, now: start) }
        #expect(verdicts.prefix(5).allSatisfy { $0 == .allow })
        #expect(verdicts[5] != .allow)
    }

    @Test func aFloodingUserIsToldAtMostOnceAMinute() {
        let limiter = UserRateLimiter(perMinute: 30, burst: 2, globalPerSecond: 0)
        let start = ContinuousClock.now
        var notices = 0
        // Ten commands a second for three minutes: a token refills every 2 s, each refill lets one through.
        for tick in 0..<1800 {
            if case .warn = limiter.check(user: 7, now: start + .milliseconds(tick * 100)) { notices += 1 }
        }
        #expect(notices == 3)
        // Another user is unaffected and told on their own.
        #expect(limiter.check(user: 8, now: start + .seconds(180)) == .allow)
    }

    @Test func theGlobalLimitAlsoTellsEachUserOnceAMinute() {
        let start = ContinuousClock.now
        let limiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 1, now: { start })
        #expect(limiter.check(user: 1, now: start) == .allow)
        #expect(limiter.check(user: 1, now: start + .milliseconds(10)) == .warn(seconds: 1))
        #expect(limiter.check(user: 1, now: start + .milliseconds(20)) == .silent)
        #expect(limiter.check(user: 2, now: start + .milliseconds(30)) == .warn(seconds: 1))
    }
}
