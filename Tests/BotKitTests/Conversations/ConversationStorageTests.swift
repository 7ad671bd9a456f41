@testable import BotKit
import Foundation
import Synchronization
import TestSupport
import Testing

/// The sweeper's one notice per time-out, and a conversation change stored with its replies or not at all.
@Suite struct ConversationStorageTests {
    @Test func theTimeOutNoticeArrivesOnceAndExpiryIsHonouredAfterARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let rig = try ConversationRig(directory: directory)
            _ = try await rig.say("/order", id: 1)
        }
        // The bot after a restart: a new store on the same file, on a clock the test moves.
        let rig = try ConversationRig(directory: directory)
        // Times come from the stored row, so a slow machine cannot move them.
        let stored = try #require(try await rig.open())
        #expect(stored.expiresAt.timeIntervalSince(stored.startedAt) == 600)
        let clock = ManualDate(stored.expiresAt.addingTimeInterval(-1))
        let delivered = Mutex<[String]>([])
        let sweeper = ConversationSweeper(store: rig.store, registry: ConversationRig.registry, now: { clock.now }) { items in
            delivered.withLock { $0 += items.map { ConversationRig.text(of: $0.message) } }
        }
        let next = try await sweeper.sweep()
        #expect(delivered.withLock { $0 }.isEmpty)
        #expect(try await rig.open() != nil)
        // The stored absolute expiry, ten minutes after the start.
        #expect(try #require(next) == stored.expiresAt)
        clock.advance(by: 10)
        #expect(try await sweeper.sweep() == nil)
        try await sweeper.sweep()
        #expect(delivered.withLock { $0 } == ["Your test order timed out after 10 min; send /order to start again."])
        #expect(try await rig.open() == nil)
        // The notice is queued in the outbox, not sent around it.
        #expect(try await rig.store.pendingOutbox().map { ConversationRig.text(of: $0.message) }
            == ["Which ticker?", "Your test order timed out after 10 min; send /order to start again."])
    }

    @Test func theConfiguredTimeLimitOverridesTheConversationsOwn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let registry = CommandRegistry<NoServices>([OrderCommand.self], conversations: [OrderFlow.self], conversationTimeout: 120)
        let rig = try ConversationRig(directory: directory, registry: registry)
        _ = try await rig.say("/order", id: 1)
        let record = try #require(try await rig.open())
        #expect(abs(record.limit - 120) < 0.001)
        #expect(OrderFlow.timeoutNotice(after: record.limit) == "Your test order timed out after 2 min; send /order to start again.")
    }

    @Test func aFailedCompleteLeavesNeitherTheReplyNorTheState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        let side = Update(updateID: 2, message: ConversationRig.message("TCS", id: 2))
        _ = try await rig.store.record(try JSONDecoder().decode([UpdateSlot].self, from: JSONEncoder().encode([side])))
        let result = await rig.router.handle(InboxItem(update: side, receivedAt: Date()))
        #expect(result.conversation != nil && !result.replies.isEmpty)
        // A second connection makes the outbox refuse rows: the reply cannot be stored, so the state must not move.
        let other = try SQLiteDatabase(path: directory.file("db.sqlite3"))
        try other.execute("CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        await #expect(throws: (any Error).self) {
            try await rig.store.complete(updateID: 2, replies: result.replies, conversation: result.conversation)
        }
        #expect(try await rig.open()?.state == "ticker")
        #expect(try await rig.store.isHandled(updateID: 2) == false)
        // The reverse: the state cannot be stored, so the reply is not queued either.
        try other.execute("DROP TRIGGER no_outbox")
        try other.execute("CREATE TRIGGER no_state BEFORE INSERT ON conversations BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        try other.execute("CREATE TRIGGER no_state_update BEFORE UPDATE ON conversations BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        let before = try await rig.store.outboxCount()
        await #expect(throws: (any Error).self) {
            try await rig.store.complete(updateID: 2, replies: result.replies, conversation: result.conversation)
        }
        #expect(try await rig.store.outboxCount() == before)
        #expect(try await rig.open()?.state == "ticker")
        // Once storage works, the same result is stored whole.
        try other.execute("DROP TRIGGER no_state; DROP TRIGGER no_state_update")
        let stored = try await rig.store.complete(updateID: 2, replies: result.replies, conversation: result.conversation)
        #expect(stored.count == 1)
        #expect(try await rig.open()?.state == "side")
    }
}
