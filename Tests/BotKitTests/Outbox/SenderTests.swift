@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The sender against the fake Telegram: every failure Telegram can answer with.
@Suite struct SenderTests {
    struct Rig {
        let fake: FakeTelegram
        let store: BotStore
        let sender: Sender
        let directory: TemporaryDirectory

        static func make(floodLimits: Bool = false) async throws -> Rig {
            let fake = try await FakeTelegram.start(floodLimits: floodLimits)
            let directory = try TemporaryDirectory()
            let store = try BotStore(path: directory.file("outbox.sqlite3"))
            let client = TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .seconds(2))
            let sender = Sender(client: client, store: store, floodLimits: floodLimits)
            return Rig(fake: fake, store: store, sender: sender, directory: directory)
        }

        func send(_ messages: [OutgoingMessage]) async throws {
            await sender.enqueue(try await store.enqueue(messages))
        }

        func close() async {
            await fake.stop()
            directory.remove()
        }
    }

    @Test func a429IsObeyedForThatChatThenTheMessageGoesAgain() async throws {
        let rig = try await Rig.make()
        await rig.fake.inject(.error(status: 429, description: "Too Many Requests: retry after 2", retryAfter: 2), for: "sendMessage")
        let started = ContinuousClock.now
        try await rig.send([.text("one", to: 5)])
        let delivered = await rig.fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(20))
        let waited = started.duration(to: try #require(delivered.first).receivedAt)
        // Not before retry_after; that it goes again at all (within the 6 s wait) is the rest of the promise. No upper
        // bound on a busy 2-core machine: speed is for make bench, not for timed tests.
        #expect(waited >= .seconds(2), "resent after \(waited), before retry_after")
        #expect(await rig.sender.flush(timeout: .seconds(2)))
        #expect(try await rig.store.outboxCount() == 0)
        await rig.close()
    }

    @Test func serverErrorsAndDroppedConnectionsAreRetried() async throws {
        let rig = try await Rig.make()
        await rig.fake.inject(.error(status: 502, description: "Bad Gateway", retryAfter: nil), for: "sendMessage")
        await rig.fake.inject(.dropConnection, for: "sendMessage")
        try await rig.send([.text("survives", to: 5)])
        let delivered = await rig.fake.waitForCalls("sendMessage", count: 1, timeout: .seconds(8))
        #expect(delivered.map(\.text) == ["survives"])
        #expect(await rig.sender.flush(timeout: .seconds(2)))
        #expect(try await rig.store.outboxCount() == 0)
        await rig.close()
    }

    @Test func badHTMLIsResentAsPlainText() async throws {
        let rig = try await Rig.make()
        try await rig.send([.text("<b>unclosed & broken", to: 5)])
        let delivered = await rig.fake.waitForCalls("sendMessage", count: 1)
        #expect(delivered.first?.text == "unclosed & broken")
        #expect(delivered.first?.parameters["parse_mode"] == nil)
        await rig.close()
    }

    @Test func aBlockedChatIsMarkedInactiveAndItsQueueDropped() async throws {
        let rig = try await Rig.make()
        await rig.fake.block(chatID: 66)
        try await rig.send([.text("a", to: 66), .text("b", to: 66), .text("other chat", to: 67)])
        await rig.fake.waitForCalls("sendMessage", count: 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await rig.fake.sent("sendMessage").map(\.chatID) == [67])
        #expect(try await rig.store.isChatActive(66) == false)
        #expect(await rig.sender.flush(timeout: .seconds(2)))
        #expect(try await rig.store.outboxCount() == 0)
        await rig.close()
    }

    @Test func aMigratedGroupGetsItsMessagesAtTheNewID() async throws {
        let rig = try await Rig.make()
        await rig.fake.migrate(chatID: -100, to: -1001234)
        try await rig.send([.text("first", to: -100), .text("second", to: -100)])
        let delivered = await rig.fake.waitForCalls("sendMessage", count: 2)
        #expect(delivered.map(\.chatID) == [-1001234, -1001234])
        #expect(delivered.map(\.text) == ["first", "second"])
        await rig.close()
    }

    @Test func otherClientErrorsAreNotRetried() async throws {
        let rig = try await Rig.make()
        await rig.fake.inject(.error(status: 400, description: "Bad Request: chat not found", retryAfter: nil), for: "sendMessage")
        try await rig.send([.text("lost", to: 5), .text("next", to: 5)])
        let delivered = await rig.fake.waitForCalls("sendMessage", count: 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(delivered.map(\.text) == ["next"])
        #expect(await rig.sender.flush(timeout: .seconds(2)))
        #expect(try await rig.store.outboxCount() == 0)
        await rig.close()
    }

    @Test func ownFloodLimitsKeepTelegramFromAnswering429() async throws {
        let rig = try await Rig.make(floodLimits: true)
        let started = ContinuousClock.now
        try await rig.send((1...6).map { .text("m\($0)", to: 9) })
        let delivered = await rig.fake.waitForCalls("sendMessage", count: 6, timeout: .seconds(20))
        try #require(delivered.count == 6)
        #expect(delivered.map(\.text) == (1...6).map { "m\($0)" })
        #expect(await rig.fake.floodRejections == 0)
        // A burst of 3, then about one a second.
        #expect(started.duration(to: delivered[5].receivedAt) >= .seconds(2.5))
        await rig.close()
    }

    @Test func flushWaitsForTheQueue() async throws {
        let rig = try await Rig.make()
        try await rig.send((1...20).map { .text("n\($0)", to: Int64($0)) })
        #expect(await rig.sender.flush(timeout: .seconds(5)))
        // Every message went out; on a loaded machine a call that timed out at the client may have reached the fake
        // too and been sent again (delivery is at least once), so the distinct texts are counted.
        #expect(Set(await rig.fake.sent("sendMessage").compactMap(\.text)) == Set((1...20).map { "n\($0)" }))
        await rig.close()
    }

    @Test func aSentMessageWhoseRowCannotBeRemovedIsNeverSentAgain() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("outbox.sqlite3"))
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .seconds(2))
        let sender = Sender(client: client, store: store, floodLimits: false, removalRetry: .milliseconds(50))
        await store.failOutboxRemovals(3)
        await sender.enqueue(try await store.enqueue([.text("once", to: 5), .text("then this", to: 5)]))
        let delivered = await fake.waitForCalls("sendMessage", count: 2, timeout: .seconds(5))
        #expect(delivered.map(\.text) == ["once", "then this"], "the chat goes on after a failed removal")
        // flush waits for the removals too: the rows are gone before a restart could resend them.
        #expect(await sender.flush(timeout: .seconds(5)))
        #expect(try await store.outboxCount() == 0)

        let restarted = Sender(client: client, store: store, floodLimits: false)
        try await restarted.resume()
        #expect(await restarted.backlog == 0)
        #expect(await restarted.flush(timeout: .seconds(2)))
        #expect(await fake.sent("sendMessage").map(\.text) == ["once", "then this"])
        await fake.stop()
        directory.remove()
    }
}
