@testable import BotKit
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// A command that always fails, to see what the user and the log get.
struct ExplodingCommand: Command {
    static let name = "explode"
    static let summary = "Fails"
    init(arguments: inout ArgumentScanner) throws {}
    func run(in context: CommandContext<NoServices>) async throws -> [OutgoingMessage] {
        throw CocoaError(.fileReadCorruptFile)
    }
}

@Suite struct DispatchTests {
    func inbox(_ id: Int64, chat: Int64, text: String) -> InboxItem {
        let entities = text.hasPrefix("/") ? [MessageEntity(type: "bot_command", offset: 0, length: text.prefix { $0 != " " }.utf16.count)] : nil
        let message = Message(messageID: id, from: User(id: chat, firstName: "U"), chat: Chat(id: chat, type: "private"),
                              date: Int64(Date().timeIntervalSince1970), text: text, entities: entities)
        return InboxItem(update: Update(updateID: id, message: message), receivedAt: Date())
    }

    @Test func aFailingHandlerRepliesWithAnErrorIDThatIsAlsoLogged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let capture = LogCapture()
        let router = try EngineRig.router(CommandRegistry([ExplodingCommand.self]), directory: directory, logger: capture.logger())
        let result = await router.handle(inbox(1, chat: 9, text: "/explode"))
        let payload = try #require(result.replies.first?.payload)
        let text = String(decoding: payload, as: UTF8.self)
        let match = text.firstMatch(of: /error <code>([0-9a-f]{6})<\/code>/)
        let errorID = try #require(match?.1)
        #expect(capture.text.contains("error_id=\(errorID)"))
        #expect(capture.text.contains("command=/explode"))
        #expect(result.log?.outcome == .error)
        #expect(result.log?.errorID == String(errorID))
    }

    @Test func aSlowChatDoesNotDelayAnother() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let sender = Sender(client: TelegramClient(apiURL: fake.apiURL, token: fake.token), store: store, floodLimits: false)
        let dispatcher = Dispatcher(handler: { item in
            let chat = item.update.chatID!
            if chat == 1 { try? await Task.sleep(for: .seconds(1.5)) }
            return HandlerResult(replies: [.text("done \(item.update.updateID)", to: chat)])
        }, store: store, sender: sender)
        let items = [inbox(1, chat: 1, text: "slow"), inbox(2, chat: 1, text: "after slow"), inbox(3, chat: 2, text: "fast")]
        _ = try await store.record(try JSONDecoder().decode([UpdateSlot].self, from: JSONEncoder().encode(items.map(\.update))))
        await dispatcher.submit(items)
        let replies = await fake.waitForCalls("sendMessage", count: 3, timeout: .seconds(5))
        // Chat 2 is answered first; chat 1 keeps its own order.
        #expect(replies.map(\.text) == ["done 3", "done 1", "done 2"])
        await fake.stop()
        directory.remove()
    }

    /// A real store, sender and fake Telegram around a dispatcher; `handler` stands in for the router.
    struct Rig {
        let fake: FakeTelegram
        let directory: TemporaryDirectory
        let store: BotStore
        let sender: Sender
        let dispatcher: Dispatcher

        static func make(timeout: Duration = .seconds(60), handler: @escaping Dispatcher.Handler) async throws -> Rig {
            let fake = try await FakeTelegram.start(floodLimits: false)
            let directory = try TemporaryDirectory()
            let store = try BotStore(path: directory.file("db.sqlite3"))
            let sender = Sender(client: TelegramClient(apiURL: fake.apiURL, token: fake.token), store: store, floodLimits: false)
            // Messages holding a 64-hex key carry a secret, as the trader app's policy says.
            let secrets = SecretGuard(policy: SecretPolicy(looksSecret: { $0.contains(/[0-9a-f]{64}/) }, warning: "", revokeWhat: "the key"),
                                      deleteNow: nil)
            let dispatcher = Dispatcher(handler: handler, store: store, sender: sender, handlerTimeout: timeout,
                                        secretRemoval: { $0.message.flatMap { secrets.policy.exposes($0) ? secrets.queuedRemoval(of: $0) : nil } })
            return Rig(fake: fake, directory: directory, store: store, sender: sender, dispatcher: dispatcher)
        }

        func record(_ items: [InboxItem]) async throws {
            _ = try await store.record(try JSONDecoder().decode([UpdateSlot].self, from: JSONEncoder().encode(items.map(\.update))))
        }

        func close() async {
            await fake.stop()
            directory.remove()
        }
    }

    @Test func aHandlerPastItsTimeLimitIsStoppedOnceAndItsChatGoesOn() async throws {
        let gate = Gate()
        let sawCancellation = Mutex(false)
        let rig = try await Rig.make(timeout: .milliseconds(200)) { item in
            if item.update.message?.text == "/chart" {
                await gate.wait()  // ignores cancellation, as a stuck C call would
                sawCancellation.withLock { $0 = Task.isCancelled }
                return HandlerResult(replies: [.text("late chart", to: item.update.chatID!)])
            }
            return HandlerResult(replies: [.text("done \(item.update.updateID)", to: item.update.chatID!)])
        }
        let items = [inbox(1, chat: 7, text: "/chart"), inbox(2, chat: 7, text: "/start")]
        try await rig.record(items)
        await rig.dispatcher.submit(items)

        let replies = await rig.fake.waitForCalls("sendMessage", count: 2, timeout: .seconds(10)).compactMap(\.visibleText)
        try #require(replies.count == 2)
        let notice = try #require(replies[0].wholeMatch(of: /Your \/chart took longer than 200 ms and was stopped \(error id ([0-9a-f]{6})\)\./))
        #expect(replies[1] == "done 2", "the chat's next update ran after the time limit freed its lane")
        let failed = try await rig.store.failedUpdates()
        #expect(failed.map(\.updateID) == [1])
        #expect(failed.first?.reason == "timed out after 200 ms")
        #expect(failed.first?.errorID == String(notice.1))

        // The abandoned handler returns at last: its result is dropped, not sent.
        gate.open()
        let deadline = ContinuousClock.now + .seconds(5)
        while await rig.dispatcher.lateResultsDropped == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await rig.dispatcher.lateResultsDropped == 1)
        #expect(sawCancellation.withLock { $0 }, "the handler's task was cancelled")
        #expect(await rig.sender.flush(timeout: .seconds(5)))
        let all = await rig.fake.sent("sendMessage").compactMap(\.visibleText)
        #expect(all.count == 2)
        #expect(!all.contains("late chart"))
        #expect(all.filter { $0.contains("took longer") }.count == 1)
        #expect(try await rig.store.outboxCount() == 0)
        await rig.close()
    }

    @Test func anUpdateWhoseHandlerStartedTwiceIsGivenUpWithANotice() async throws {
        let ran = Mutex<[Int64]>([])
        let rig = try await Rig.make { item in
            ran.withLock { $0.append(item.update.updateID) }
            return HandlerResult(replies: [.text("ran \(item.update.updateID)", to: item.update.chatID!)])
        }
        let press = CallbackQuery(id: "q1", from: User(id: 8, firstName: "U"), message: nil, data: "menu:funds")
        let items = [inbox(1, chat: 7, text: "/positions@PollTestBot now"), InboxItem(update: Update(updateID: 2, callbackQuery: press), receivedAt: Date()),
                     inbox(3, chat: 7, text: "/start")]
        try await rig.record(items)
        // Two starts that never finished, as two crashes in a row leave them.
        for id: Int64 in [1, 2] {
            for _ in 0..<2 { #expect(try await rig.store.startAttempt(updateID: id, limit: Dispatcher.maxAttempts) == .run) }
        }
        await rig.dispatcher.submit(items)
        let replies = await rig.fake.waitForCalls("sendMessage", count: 3, timeout: .seconds(10)).compactMap(\.visibleText)
        #expect(ran.withLock { $0 } == [3], "given-up updates are not run a third time")
        #expect(replies.contains { $0.wholeMatch(of: /Your \/positions could not be completed \(error id [0-9a-f]{6}\); it was not retried\./) != nil })
        #expect(replies.contains { $0.wholeMatch(of: /Your button press could not be completed \(error id [0-9a-f]{6}\); it was not retried\./) != nil })
        #expect(replies.contains("ran 3"))
        let failed = try await rig.store.failedUpdates()
        #expect(failed.map(\.updateID) == [1, 2])
        #expect(failed.allSatisfy { $0.attempts == 2 && $0.reason == "handler crashed or was killed 2 times" })
        await rig.close()
    }

    @Test func aGivenUpMessageThatCarriedAKeyIsDeletedWithItsNotice() async throws {
        let rig = try await Rig.make { item in HandlerResult(replies: [.text("ran", to: item.update.chatID!)]) }
        let key = String(repeating: "ab12", count: 16)
        let items = [inbox(1, chat: 7, text: "/link \(key) main")]
        try await rig.record(items)
        for _ in 0..<2 { #expect(try await rig.store.startAttempt(updateID: 1, limit: Dispatcher.maxAttempts) == .run) }
        await rig.dispatcher.submit(items)
        let notice = try #require(await rig.fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(10)).first?.visibleText)
        #expect(notice.hasPrefix("Your /link could not be completed"))
        #expect(notice.contains("I deleted your message from this chat: it carried a secret."))
        #expect(!notice.contains(key))
        #expect(await rig.fake.sent("deleteMessage").count == 1)
        // A given-up message with no secret is left where it is.
        let plain = AbandonNotice.notRetried(inbox(2, chat: 7, text: "/positions").update, errorID: "abcdef")
        #expect(plain.count == 1)
        await rig.close()
    }

    @Test func theNoticeNamesOnlyTheCommandEscaped() {
        let hostile = inbox(1, chat: 7, text: "/<b>x</b>" + String(repeating: "y", count: 500) + " oa_secret_key")
        let text = String(decoding: AbandonNotice.notRetried(hostile.update, errorID: "abcdef")[0].payload, as: UTF8.self)
        #expect(text.contains("Your command could not be completed"))
        #expect(!text.contains("oa_secret_key"))
        #expect(!text.contains("yyy"))
        // A key pasted right after the slash is not a command name: nothing of it is repeated.
        let key = String(repeating: "9f86", count: 16)
        let pasted = String(decoding: AbandonNotice.notRetried(inbox(2, chat: 7, text: "/\(key)").update, errorID: "abcdef")[0].payload,
                            as: UTF8.self)
        #expect(pasted.contains("Your command could not be completed"))
        #expect(!pasted.contains(String(key.prefix(8))))
        let named = AbandonNotice.notRetried(inbox(3, chat: 7, text: "/Positions@PollTestBot now").update, errorID: "abcdef")
        #expect(String(decoding: named[0].payload, as: UTF8.self).contains("Your /positions could not be completed"))
        #expect(AbandonNotice.describe(.seconds(60)) == "60 s")
        #expect(AbandonNotice.describe(.milliseconds(1500)) == "1.5 s")
        #expect(AbandonNotice.describe(.milliseconds(200)) == "200 ms")
    }
}

/// A wait that ignores cancellation until the test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
