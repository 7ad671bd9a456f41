import BotKit
import Foundation
import TestSupport
import Testing

/// AccessStep: who gets through, who is refused once and then ignored, and who is recorded as a user.
@Suite struct AccessStepTests {
    typealias F = StepFixtures

    func step() -> AccessStep {
        AccessStep(AccessPolicy(allowedUsers: [F.user.id], admins: []))
    }

    @Test func anAllowedUserPassesAndIsRecorded() async {
        let next = NextProbe()
        let response = await step().handle(F.request("/echo hi"), next: next.handler)
        #expect(next.calls == 1)
        #expect(response.text == "handled")
        #expect(response.user == F.user)
    }

    @Test func aStrangerIsRefusedOnceWithTheirIDThenIgnoredAndNeverRecorded() async {
        let step = step(), next = NextProbe()
        let first = await step.handle(F.request("/echo hi", from: F.stranger), next: next.handler)
        #expect(first.text == AccessPolicy.refusal(userID: F.stranger.id))
        #expect(first.text?.contains("<code>666</code>") == true)
        #expect(first.outcome == .denied)
        #expect(first.user == nil)
        let second = await step.handle(F.request("hello", from: F.stranger), next: next.handler)
        #expect(second.text == nil)
        #expect(second.outcome == .denied)
        #expect(second.user == nil)
        #expect(next.calls == 0)
    }

    @Test func aStrangersFirstButtonPressGetsNoRefusalText() async {
        let next = NextProbe()
        let response = await step().handle(F.press("u666|menu:funds", by: F.stranger), next: next.handler)
        #expect(next.calls == 0)
        #expect(response.text == nil)  // the press is still answered by the router, so the spinner stops
        #expect(response.outcome == .denied)
    }

    @Test func aCommandOpenToEveryoneRunsForStrangersWithoutRecordingThem() async {
        let step = step(), next = NextProbe()
        let stranger = await step.handle(F.request("/whoami", from: F.stranger), next: next.handler)
        #expect(stranger.text == "handled")
        #expect(stranger.user == nil)
        let member = await step.handle(F.request("/whoami"), next: next.handler)
        #expect(member.user == F.user)
        #expect(next.calls == 2)
        // Running /whoami did not use up the stranger's one refusal.
        let later = await step.handle(F.request("/echo", from: F.stranger), next: next.handler)
        #expect(later.text == AccessPolicy.refusal(userID: F.stranger.id))
    }

    @Test func plainTextInAGroupPassesUntouched() async {
        let step = step(), next = NextProbe()
        for _ in 0..<3 {
            let response = await step.handle(F.request("nice trade", from: F.stranger, chat: F.group), next: next.handler)
            #expect(response.text == "handled")
            #expect(response.user == nil)  // not recorded: it is nobody's business here
        }
        #expect(next.calls == 3)
        #expect(next.last?.isPlainText == true)
        // And it cost the stranger nothing: their first command is still refused in words.
        let command = await step.handle(F.request("/echo", from: F.stranger, chat: F.group), next: next.handler)
        #expect(command.text == AccessPolicy.refusal(userID: F.stranger.id))
    }

    @Test func plainTextInAPrivateChatFromAStrangerIsRefused() async {
        let next = NextProbe()
        let response = await step().handle(F.request("hello", from: F.stranger), next: next.handler)
        #expect(next.calls == 0)
        #expect(response.outcome == .denied)
        #expect(response.text == AccessPolicy.refusal(userID: F.stranger.id))
    }

    @Test func aStickerInAPrivateChatCostsAStrangerNothing() async {
        // A message without text is not answered, so it must not use up the stranger's one refusal.
        let step = step(), next = NextProbe()
        let sticker = Message(messageID: 9, from: F.stranger, chat: Chat(id: F.stranger.id, type: "private"),
                              date: Int64(F.sentAt.timeIntervalSince1970), text: nil, entities: nil)
        let request = UpdateRequest(kind: .message(sticker, nil), receivedAt: F.sentAt, command: nil)
        #expect(request.isChatter)
        let response = await step.handle(request, next: next.handler)
        #expect(next.calls == 1 && response.user == nil)
        let command = await step.handle(F.request("/echo", from: F.stranger), next: next.handler)
        #expect(command.text == AccessPolicy.refusal(userID: F.stranger.id))
    }
}
