import BotKit
import Foundation
import TestSupport
import Testing

/// PrivateOnlyStep: a private-only command is refused by name in a group and runs anywhere else.
@Suite struct PrivateOnlyStepTests {
    typealias F = StepFixtures
    let step = PrivateOnlyStep()

    @Test func aPrivateOnlyCommandInAGroupIsRefusedByName() async {
        let next = NextProbe()
        let response = await step.handle(F.request("/Mine", chat: F.group), next: next.handler)
        #expect(next.calls == 0)
        #expect(response.outcome == .denied)
        #expect(response.text == "/Mine shows or changes private data: use a private chat with me.")
    }

    @Test func aPrivateOnlyCommandInAPrivateChatRuns() async {
        let next = NextProbe()
        #expect(await step.handle(F.request("/mine"), next: next.handler).text == "handled")
        #expect(next.calls == 1)
    }

    @Test func otherCommandsTextAndButtonsInAGroupPass() async {
        let next = NextProbe()
        _ = await step.handle(F.request("/echo hi", chat: F.group), next: next.handler)
        _ = await step.handle(F.request("/nosuch", chat: F.group), next: next.handler)
        _ = await step.handle(F.request("hello", chat: F.group), next: next.handler)
        _ = await step.handle(F.press("u42|menu:funds", chat: F.group), next: next.handler)
        #expect(next.calls == 4)
    }
}
