import BotKit
import Foundation
import Synchronization
import TestSupport
import Testing

/// SecretStep: a message holding a secret leaves the chat whatever the inner steps decide, and the reply says so.
@Suite struct SecretStepTests {
    typealias F = StepFixtures

    /// The outbox deletes (private chats, or no immediate delete available).
    let queued = SecretStep(SecretGuard(policy: F.secrets, deleteNow: nil))

    /// An inner answer with a leading message of its own, to see the deletion go first.
    static let inner: RouterResponse = {
        var response = RouterResponse(text: "inner", outcome: .denied)
        response.leading = [.text("inner leading", to: 1)]
        return response
    }()

    @Test func aKeyPastedInAPrivateChatIsDeletedFirstAndTheReplySaysSo() async {
        let next = NextProbe(Self.inner)
        let response = await queued.handle(F.request("here \(F.key)", id: 31), next: next.handler)
        #expect(next.calls == 1)
        #expect(next.last?.exposesSecret == true)
        #expect(response.leading == [.delete(messageID: 31, chatID: F.user.id), .text("inner leading", to: 1)])
        #expect(response.notes == ["I deleted your message from this chat: it carried a secret."])
        #expect(response.text == "inner")
        #expect(response.outcome == .denied)  // the inner decision stands
    }

    @Test func aSecretCarryingCommandIsDeletedEvenWhenNothingLooksSecret() async {
        let next = NextProbe()
        let response = await queued.handle(F.request("/vault main plainword", id: 32), next: next.handler)
        #expect(next.last?.exposesSecret == false)
        #expect(response.leading == [.delete(messageID: 32, chatID: F.user.id)])
        #expect(response.notes.count == 1)
    }

    @Test func anOrdinaryMessageAndAButtonPassUnchanged() async {
        let next = NextProbe(Self.inner)
        let message = await queued.handle(F.request("/echo hello"), next: next.handler)
        #expect(next.last?.exposesSecret == false)
        #expect(message.leading == [.text("inner leading", to: 1)])
        #expect(message.notes.isEmpty)
        // Callback data is not a message: nothing to delete (CommandLogStep keeps it out of the log).
        let press = await queued.handle(F.press("u42|\(F.key)"), next: next.handler)
        #expect(press.leading == [.text("inner leading", to: 1)])
        #expect(press.notes.isEmpty)
        #expect(next.calls == 2)
    }

    @Test func inAGroupTheDeleteIsTriedAtOnceAndTheNoteTellsTheTruth() async {
        let asked = Mutex<[Int64]>([])
        func step(deletes: Bool) -> SecretStep {
            SecretStep(SecretGuard(policy: F.secrets, deleteNow: { chat, message in
                asked.withLock { $0.append(message) }
                #expect(chat == F.group.id)
                return deletes
            }))
        }
        let deleted = await step(deletes: true).handle(F.request(F.key, chat: F.group, id: 41), next: NextProbe().handler)
        #expect(deleted.leading.isEmpty)
        #expect(deleted.notes.first?.hasPrefix("I deleted your message: it carried a secret. Others in this group may have read it") == true)
        let refused = await step(deletes: false).handle(F.request(F.key, chat: F.group, id: 42), next: NextProbe().handler)
        #expect(refused.leading.isEmpty)
        #expect(refused.notes.first?.contains("<b>I could not delete it</b>") == true)
        #expect(refused.notes.first?.contains("Revoke the key at the issuer now") == true)
        #expect(asked.withLock { $0 } == [41, 42])
    }

    @Test func inAGroupWithoutAnImmediateDeleteTheOutboxTriesAndTheNoteClaimsNoMore() async {
        let response = await queued.handle(F.request(F.key, chat: F.group, id: 43), next: NextProbe().handler)
        #expect(response.leading == [.delete(messageID: 43, chatID: F.group.id)])
        #expect(response.notes.first?.contains("I asked Telegram to delete it") == true)
    }
}
