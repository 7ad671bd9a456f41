import BotKit
import Foundation
import TestSupport
import Testing

/// RateLimitStep over a limiter on a manual clock: a minute passes by `advance`, not by waiting.
@Suite struct RateLimitStepTests {
    typealias F = StepFixtures

    /// One command a minute, no burst, no overall limit.
    func step(_ clock: ManualInstant) -> RateLimitStep {
        RateLimitStep(UserRateLimiter(perMinute: 1, burst: 1, globalPerSecond: 0, now: { clock.now }))
    }

    @Test func overTheLimitAUserIsToldOnceThenIgnoredUntilTheBucketRefills() async {
        let clock = ManualInstant(), step = step(clock), next = NextProbe()
        #expect(await step.handle(F.request("/echo 1"), next: next.handler).text == "handled")
        clock.advance(by: .milliseconds(500))  // 59.5 s to the next token: the notice rounds up to whole seconds
        let warned = await step.handle(F.request("/echo 2"), next: next.handler)
        #expect(warned.outcome == .rateLimited)
        #expect(warned.text == "Slow down: try again in 60 s.")
        clock.advance(by: .seconds(30))
        let silent = await step.handle(F.request("/echo 3"), next: next.handler)
        #expect(silent.outcome == .rateLimited)
        #expect(silent.text == nil)
        #expect(next.calls == 1)
        clock.advance(by: .seconds(31))
        #expect(await step.handle(F.request("/echo 4"), next: next.handler).text == "handled")
        #expect(next.calls == 2)
    }

    @Test func aButtonPressOverTheLimitIsToldToo() async {
        let clock = ManualInstant(), step = step(clock), next = NextProbe()
        _ = await step.handle(F.press("u42|menu:funds"), next: next.handler)
        let response = await step.handle(F.press("u42|menu:funds"), next: next.handler)
        #expect(next.calls == 1)
        #expect(response.text?.hasPrefix("Slow down: try again in ") == true)
    }

    @Test func plainTextOverTheLimitGetsNoNoticeUnlessItCarriedASecret() async {
        let clock = ManualInstant(), step = step(clock), next = NextProbe()
        _ = await step.handle(F.request("/echo"), next: next.handler)
        let text = await step.handle(F.request("hello"), next: next.handler)
        #expect(text.outcome == .rateLimited)
        #expect(text.text == nil)
        // A limited user who pasted a key must still learn something happened (the secret step deletes it and adds its note).
        let otherUser = User(id: 43, firstName: "Bo")
        _ = await step.handle(F.request("/echo", from: otherUser), next: next.handler)
        var secret = F.request("my key \(F.key)", from: otherUser)
        secret.exposesSecret = true
        let response = await step.handle(secret, next: next.handler)
        #expect(response.text?.hasPrefix("Slow down: try again in ") == true)
        #expect(next.calls == 2)
    }

    @Test func plainTextInAGroupPassesUntouchedAndCostsNothing() async {
        let clock = ManualInstant(), step = step(clock), next = NextProbe()
        for _ in 0..<5 {
            #expect(await step.handle(F.request("gm", chat: F.group), next: next.handler).text == "handled")
        }
        // The one token of the minute is still there for a command.
        #expect(await step.handle(F.request("/echo", chat: F.group), next: next.handler).text == "handled")
        #expect(next.calls == 6)
    }

    @Test func aSecretPostedInAGroupIsLimitedLikeACommand() async {
        // It is answered (a warning) and deleted at once, so a flood of them must not make the bot flood the group.
        let clock = ManualInstant(), step = step(clock), next = NextProbe()
        var request = F.request("my key \(F.key)", chat: F.group)
        request.exposesSecret = true
        #expect(await step.handle(request, next: next.handler).text == "handled")
        let limited = await step.handle(request, next: next.handler)
        #expect(limited.outcome == .rateLimited && limited.text?.hasPrefix("Slow down") == true)
        #expect(await step.handle(request, next: next.handler).text == nil)
        #expect(next.calls == 1)
    }

    @Test func theOverallLimitRefillsByTheClockNotByWaiting() async {
        let clock = ManualInstant()
        let step = RateLimitStep(UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 2, now: { clock.now }))
        let next = NextProbe()
        for user in Int64(1)...2 { _ = await step.handle(F.request("/echo", from: User(id: user, firstName: "U")), next: next.handler) }
        let third = await step.handle(F.request("/echo", from: User(id: 3, firstName: "U")), next: next.handler)
        #expect(third.outcome == .rateLimited)
        clock.advance(by: .milliseconds(600))
        #expect(await step.handle(F.request("/echo", from: User(id: 4, firstName: "U")), next: next.handler).text == "handled")
        #expect(next.calls == 3)
    }
}
