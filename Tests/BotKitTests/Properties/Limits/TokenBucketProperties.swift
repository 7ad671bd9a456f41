@testable import BotKit
import PropertyBased
import TestSupport
import Testing

/// The rate limits on generated traffic with an injected clock: no window lets more through than a burst plus the
/// rate over the window, and a bucket left idle for burst / rate has its whole burst again.
@Suite struct TokenBucketProperties {
    /// One moment of traffic: how long after the previous one (ms, often 0 for bursts) and how many takes.
    static let steps = zip(Gen<Int>.frequency((2, Gen.always(0).eraseToAnySequence()),
                                              (3, Gen.int(in: 1...3000).eraseToAnySequence())),
                           Gen.int(in: 0...6)).array(of: 0...150)
    static let capacity = Gen.int(in: 1...30)
    static let ratePerMinute = Gen.int(in: 1...3000)

    @Test func noWindowTakesMoreThanBurstPlusRateTimesItsLength() async {
        await propertyCheck(count: 500, input: Self.steps, Self.capacity, Self.ratePerMinute) { steps, capacity, perMinute in
            let rate = Double(perMinute) / 60
            let start = ContinuousClock.now
            var bucket = TokenBucket(capacity: Double(capacity), ratePerSecond: rate, now: start)
            var taken: [Double] = []
            var elapsed = 0
            for (step, takes) in steps {
                elapsed += step
                for _ in 0..<takes where bucket.take(now: start + .milliseconds(elapsed)) == nil { taken.append(Double(elapsed) / 1000) }
            }
            #expect(Self.worstWindow(taken, burst: Double(capacity), rate: rate) == nil)
        }
    }

    @Test func aBucketIdleForBurstOverRateHasItsWholeBurstAgain() async {
        await propertyCheck(count: 500, input: Self.steps, Self.capacity, Self.ratePerMinute) { steps, capacity, perMinute in
            let rate = Double(perMinute) / 60
            let start = ContinuousClock.now
            var bucket = TokenBucket(capacity: Double(capacity), ratePerSecond: rate, now: start)
            var elapsed = Duration.zero
            for (step, takes) in steps {
                elapsed += .milliseconds(step)
                for _ in 0..<takes { _ = bucket.take(now: start + elapsed) }
            }
            let refilled = start + elapsed + .seconds(Double(capacity) / rate)
            let granted = (0..<capacity).filter { _ in bucket.take(now: refilled) == nil }.count
            #expect(granted == capacity)
            #expect(bucket.take(now: refilled) != nil, "more than a burst at one instant")
        }
    }

    @Test func aUserIsNeverAllowedMoreThanBurstPlusRateTimesTheWindow() async {
        await propertyCheck(count: 300, input: Self.steps, Self.capacity, Self.ratePerMinute) { steps, burst, perMinute in
            let clock = ManualInstant()
            let start = clock.now
            let limiter = UserRateLimiter(perMinute: perMinute, burst: burst, globalPerSecond: 0, now: { clock.now })
            var allowed: [Double] = []
            var elapsed = 0
            for (step, takes) in steps {
                clock.advance(by: .milliseconds(step))
                elapsed += step
                for _ in 0..<takes where limiter.check(user: 42) == .allow { allowed.append(Double(elapsed) / 1000) }
            }
            #expect(Self.worstWindow(allowed, burst: Double(burst), rate: Double(perMinute) / 60) == nil)
            // Idle for burst / rate: the whole burst again, and not one more.
            clock.advance(by: .seconds(Double(burst) * 60 / Double(perMinute)))
            #expect((0..<burst).allSatisfy { _ in limiter.check(user: 42) == .allow })
            #expect(limiter.check(user: 42) != .allow)
            #expect(clock.now >= start)
        }
    }

    @Test func theOverallLimitHoldsAcrossUsers() async {
        let users = Gen.int64(in: 1...50)
        await propertyCheck(count: 300, input: zip(Gen.int(in: 0...1500), users).array(of: 0...300), Gen.int(in: 1...40)) { steps, perSecond in
            let clock = ManualInstant()
            let limiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: perSecond, now: { clock.now })
            var allowed: [Double] = []
            var elapsed = 0
            for (step, user) in steps {
                clock.advance(by: .milliseconds(step))
                elapsed += step
                if limiter.check(user: user) == .allow { allowed.append(Double(elapsed) / 1000) }
            }
            #expect(Self.worstWindow(allowed, burst: Double(perSecond), rate: Double(perSecond)) == nil)
        }
    }

    /// The first window [times[i], times[j]] holding more successes than `burst + rate × length`, nil when none does.
    /// A tiny tolerance absorbs floating-point rounding in the bucket's arithmetic, never a whole extra take.
    static func worstWindow(_ times: [Double], burst: Double, rate: Double) -> (from: Double, to: Double, count: Int)? {
        for i in times.indices {
            for j in i..<times.count {
                let count = j - i + 1
                if Double(count) > burst + rate * (times[j] - times[i]) + 1e-6 { return (times[i], times[j], count) }
            }
        }
        return nil
    }
}

/// The case the idle property found: one token at 449 a minute, taken, then exactly 60/449 s of idle.
@Suite struct TokenBucketRoundingRegression {
    @Test func aRefillOverExactlyTheWaitGivesTheToken() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(capacity: 1, ratePerSecond: 449.0 / 60, now: start)
        #expect(bucket.take(now: start) == nil)
        #expect(bucket.take(now: start + .seconds(60.0 / 449)) == nil)
        let limiter = UserRateLimiter(perMinute: 122, burst: 1, globalPerSecond: 0, now: { start })
        #expect(limiter.check(user: 1, now: start + .milliseconds(1)) == .allow)
        #expect(limiter.check(user: 1, now: start + .milliseconds(1) + .seconds(60.0 / 122)) == .allow)
    }
}
