import BotKit
import Foundation
import TestSupport
import Testing

/// The standard chain's order, seen through the router: secret first, log second, then stale, access, rate limit, private-only.
@Suite struct StandardChainTests {
    typealias F = StepFixtures

    func router(_ directory: TemporaryDirectory, access: AccessPolicy, limiter: UserRateLimiter? = nil) throws -> UpdateRouter<NoServices> {
        try EngineRig.router(F.registry, directory: directory, logger: LogCapture().logger(), staleAfter: 120,
                             timeZone: .utc, access: access,
                             limiter: limiter ?? UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0), secrets: F.secrets)
    }

    func texts(_ result: HandlerResult) -> [String] {
        result.replies.filter { $0.method == "sendMessage" }.compactMap {
            (try? JSONSerialization.jsonObject(with: $0.payload) as? [String: Any])?["text"] as? String
        }
    }

    @Test func aStaleCommandFromAStrangerHoldingASecretIsDeletedLoggedAsStaleAndNotRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let access = AccessPolicy(allowedUsers: [F.user.id], admins: [])
        let router = try router(directory, access: access)
        let message = F.message("/echo \(F.key)", from: F.stranger, id: 51)
        let item = InboxItem(update: Update(updateID: 51, message: message), receivedAt: F.sentAt.addingTimeInterval(600))
        let result = await router.handle(item)
        // Secret outermost: the delete is queued first, whatever the steps inside decided.
        #expect(result.replies.first == .delete(messageID: 51, chatID: F.stranger.id))
        // Stale before access: the answer is the stale notice (with the secret's note), not the refusal.
        #expect(texts(result) == ["/echo sent at 09:58 was not run because the bot was offline; send it again if you still want it."
            + "\n\nI deleted your message from this chat: it carried a secret."])
        // Logged outside the stale guard, without the key.
        let log = try #require(result.log)
        #expect(log.outcome == .stale)
        #expect(log.command == "/echo")
        #expect(log.arguments == "")
        #expect(log.userID == F.stranger.id)
        #expect(result.user == nil)
        // Access never saw it: the stranger's one refusal is still unused.
        #expect(access.check(F.stranger.id) == .refuse)
    }

    @Test func aStaleButtonPressFromAStrangerIsAnsweredAsStaleBeforeAccessOrLimits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let access = AccessPolicy(allowedUsers: [F.user.id], admins: [])
        let clock = ManualInstant()
        let limiter = UserRateLimiter(perMinute: 1, burst: 1, globalPerSecond: 0, now: { clock.now })
        let router = try router(directory, access: access, limiter: limiter)
        let query = CallbackQuery(id: "q9", from: F.stranger, message: F.message("Menu", id: 3), data: "u666|menu:confirm")
        let item = InboxItem(update: Update(updateID: 52, callbackQuery: query), receivedAt: F.sentAt,
                             waitedSince: F.sentAt.addingTimeInterval(-3600))
        let result = await router.handle(item)
        #expect(result.replies == [.answerCallback("q9", chatID: F.user.id,
                                                   text: "This button was pressed while the bot was offline, so nothing was done. Press it again if you still want it.")])
        #expect(result.log?.outcome == .stale)
        #expect(access.check(F.stranger.id) == .refuse)
        #expect(limiter.check(user: F.stranger.id) == .allow)  // no token was taken
    }

    @Test func aStrangerIsRefusedBeforeTheRateLimitAndAMemberOverTheLimitBeforePrivateOnly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualInstant()
        let limiter = UserRateLimiter(perMinute: 1, burst: 1, globalPerSecond: 0, now: { clock.now })
        let router = try router(directory, access: AccessPolicy(allowedUsers: [F.user.id], admins: []), limiter: limiter)
        func item(_ id: Int64, _ text: String, from: User, chat: Chat? = nil) -> InboxItem {
            InboxItem(update: Update(updateID: id, message: F.message(text, from: from, chat: chat, id: id)), receivedAt: F.sentAt)
        }
        let refused = await router.handle(item(61, "/echo", from: F.stranger))
        #expect(texts(refused) == [AccessPolicy.refusal(userID: F.stranger.id)])
        #expect(limiter.check(user: F.stranger.id) == .allow)  // access turned them away before a token was taken
        #expect(texts(await router.handle(item(62, "/echo hi", from: F.user))) == ["hi"])
        let limited = await router.handle(item(63, "/mine", from: F.user, chat: F.group))
        #expect(texts(limited).first?.hasPrefix("Slow down") == true)
        #expect(limited.log?.outcome == .rateLimited)
    }
}
