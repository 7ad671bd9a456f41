import BotKit
import Foundation
import TestSupport
import Testing

/// `[limits] user_per_hour`: a second bucket per user beside the minute's, on a manual clock.
@Suite struct HourlyLimitTests {
    typealias F = StepFixtures

    @Test func theHourlyBucketRefusesThe601stAndRecoversAsTheHourRefills() {
        let clock = ManualInstant()
        let limiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0, perHour: 600, now: { clock.now })
        for index in 1...600 { #expect(limiter.check(user: 7) == .allow, "command \(index)") }
        // 600 an hour is one every 6 s.
        #expect(hourlyWait(limiter.check(user: 7), limit: 600).map { (6...7).contains($0) } == true)
        #expect(limiter.check(user: 7) == .silent)
        #expect(limiter.check(user: 8) == .allow, "another user has a bucket of their own")
        clock.advance(by: .seconds(6))
        #expect(limiter.check(user: 7) == .allow)
        #expect(limiter.check(user: 7) == .silent, "told within the minute: not told again")
        clock.advance(by: .seconds(3600))
        for _ in 1...600 { #expect(limiter.check(user: 7) == .allow) }
        #expect(limiter.check(user: 7) != .allow)
    }

    @Test func aMinuteRefusalCostsNothingOfTheHour() {
        let clock = ManualInstant()
        let limiter = UserRateLimiter(perMinute: 1, burst: 1, globalPerSecond: 0, perHour: 2, now: { clock.now })
        #expect(limiter.check(user: 7) == .allow)
        clock.advance(by: .milliseconds(500))
        #expect(limiter.check(user: 7) == .warn(seconds: 60))
        for _ in 0..<5 { _ = limiter.check(user: 7) }
        clock.advance(by: .seconds(60))
        // One of the hour's two tokens is left, whatever the refused attempts.
        #expect(limiter.check(user: 7) == .allow)
        clock.advance(by: .seconds(60))
        // 1.93 tokens' worth of the hour was used: about 28 minutes to the next one.
        #expect(hourlyWait(limiter.check(user: 7), limit: 2).map { (1670...1690).contains($0) } == true)
    }

    @Test func theRefusalSaysWhichLimitAndWhenInMinutes() async {
        let clock = ManualInstant(), next = NextProbe()
        let step = RateLimitStep(UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0, perHour: 5, now: { clock.now }))
        for _ in 1...5 { #expect(await step.handle(F.request("/echo"), next: next.handler).text == "handled") }
        clock.advance(by: .seconds(30))  // 11.5 min to the next token
        let refused = await step.handle(F.request("/echo"), next: next.handler)
        #expect(refused.outcome == .rateLimited)
        #expect(refused.text == "You have sent 5 commands this hour; try again in 12 min.")
        #expect(next.calls == 5)
        // Plain text is refused without a notice, like the minute's limit.
        clock.advance(by: .seconds(61))  // past the minute between notices
        let text = await step.handle(F.request("hello"), next: next.handler)
        #expect(text.outcome == .rateLimited)
        #expect(text.text == nil)
    }

    /// The seconds of an hourly refusal of `limit`, nil for any other verdict.
    func hourlyWait(_ verdict: UserRateLimiter.Verdict, limit: Int) -> Int? {
        if case .warnHourly(let seconds, limit) = verdict { return seconds }
        return nil
    }
}
