import BotKit
import Foundation
import TestSupport
import Testing

/// StaleGuard judges by the times the request carries (when sent, when received, since when it waited): no clock, no sleep.
@Suite struct StaleGuardTests {
    typealias F = StepFixtures
    let step = StaleGuard(staleAfter: 120, timeZone: .utc)

    @Test func aCommandOlderThanStaleAfterIsExplainedNotRun() async {
        let next = NextProbe()
        let response = await step.handle(F.request("/echo hi", after: 121), next: next.handler)
        #expect(next.calls == 0)
        #expect(response.outcome == .stale)
        #expect(response.text == "/echo sent at 09:58 was not run because the bot was offline; send it again if you still want it.")
    }

    @Test func aCommandJustWithinStaleAfterRuns() async {
        let next = NextProbe()
        let response = await step.handle(F.request("/echo hi", after: 120), next: next.handler)
        #expect(next.calls == 1)
        #expect(response.text == "handled")
    }

    @Test func oldTextInAPrivateChatIsNotActedOnButGroupChatterIsNotItsBusiness() async {
        // "yes" typed to a confirmation while the bot was down must not confirm anything an hour later.
        let next = NextProbe()
        let old = await step.handle(F.request("yes", after: 3600), next: next.handler)
        #expect(next.calls == 0 && old.outcome == .stale)
        #expect(old.text?.hasPrefix("Your message sent at 09:58 arrived while the bot was offline") == true)
        _ = await step.handle(F.request("hello", chat: F.group, after: 3600), next: next.handler)
        _ = await step.handle(F.request("yes", after: 60), next: next.handler)
        #expect(next.calls == 2)
    }

    @Test func anOldUnknownCommandIsNamedOnlyWhenItHasTheShapeOfOne() async {
        let typedKey = await step.handle(F.request("/\(F.key)", after: 600), next: NextProbe().handler)
        #expect(typedKey.outcome == .stale)
        #expect(typedKey.text?.hasPrefix("/(unknown) sent at 09:58") == true)
        #expect(typedKey.text?.contains(F.key) == false)
        let unknown = await step.handle(F.request("/Nosuch", after: 600), next: NextProbe().handler)
        #expect(unknown.text?.hasPrefix("/nosuch sent at 09:58") == true)
    }

    @Test func aButtonPressedDuringADowntimeLongerThanStaleAfterIsRefused() async {
        let next = NextProbe()
        let receivedAt = F.sentAt
        let press = F.press("u42|menu:confirm", receivedAt: receivedAt, waitedSince: receivedAt.addingTimeInterval(-121))
        let response = await step.handle(press, next: next.handler)
        #expect(next.calls == 0)
        #expect(response.outcome == .stale)
        #expect(response.text == "This button was pressed while the bot was offline, so nothing was done. Press it again if you still want it.")
    }

    @Test func aButtonPressedDuringAShortRestartOrLiveIsActedOn() async {
        let next = NextProbe()
        let receivedAt = F.sentAt
        _ = await step.handle(F.press("u42|menu:confirm", receivedAt: receivedAt, waitedSince: receivedAt.addingTimeInterval(-60)),
                              next: next.handler)
        _ = await step.handle(F.press("u42|menu:confirm", receivedAt: receivedAt, waitedSince: nil), next: next.handler)
        #expect(next.calls == 2)
    }
}
