import BotKit
import Foundation
import TestSupport
import Testing

/// AccessStep over a real store: a user an operator disabled is refused exactly like a stranger from the next update,
/// served again once enabled; admins are never refused.
@Suite struct DisabledUserStepTests {
    typealias F = StepFixtures

    @Test func aDisabledUserIsRefusedLikeAStrangerThenServedOnceEnabled() async throws {
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("db.sqlite3"))
        try await store.touchUser(F.user)
        let step = AccessStep(AccessPolicy(allowedUsers: [], admins: [], isDisabled: store.disabledLookup)), next = NextProbe()
        #expect(await step.handle(F.request("/echo"), next: next.handler).user == F.user)

        #expect(try await store.setUserDisabled(F.user.id, true) == .changed)
        #expect(try await store.setUserDisabled(F.user.id, true) == .unchanged)
        let refused = await step.handle(F.request("/echo"), next: next.handler)
        #expect(refused.text == AccessPolicy.refusal(userID: F.user.id))
        #expect(refused.outcome == .denied)
        #expect(refused.user == nil)
        let ignored = await step.handle(F.press("u42|menu:funds"), next: next.handler)
        #expect(ignored.text == nil)
        #expect(ignored.outcome == .denied)
        // An open command still runs for them, as for a stranger, without recording them as active.
        let open = await step.handle(F.request("/whoami"), next: next.handler)
        #expect(open.text == "handled")
        #expect(open.user == nil)
        #expect(next.calls == 2)

        #expect(try await store.setUserDisabled(F.user.id, false) == .changed)
        let served = await step.handle(F.request("/echo"), next: next.handler)
        #expect(served.text == "handled")
        #expect(served.user == F.user)
    }

    @Test func anAdminMarkedDisabledIsStillServedAndAnUnknownUserCannotBeDisabled() async throws {
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("db.sqlite3"))
        try await store.touchUser(F.user)
        #expect(try await store.setUserDisabled(F.user.id, true) == .changed)
        #expect(try await store.setUserDisabled(F.stranger.id, true) == .unknown)
        let step = AccessStep(AccessPolicy(allowedUsers: [], admins: [F.user.id], isDisabled: store.disabledLookup)), next = NextProbe()
        #expect(await step.handle(F.request("/echo"), next: next.handler).text == "handled")
    }
}
