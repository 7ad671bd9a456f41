@testable import BotKit
import Foundation
import TestSupport
import Testing

/// A delivery group (an announcement to thousands of chats) drains at Telegram's overall limit for minutes; a reply,
/// an alert or the admin's progress edit queued meanwhile must not wait behind every chat of it.
@Suite struct DeliveryGroupPriorityTests {
    @Test func aReplyQueuedDuringALargeGroupGoesBeforeTheGroupsRest() async throws {
        let fake = try await FakeTelegram.start(floodLimits: true)
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("priority.sqlite3"))
        let sender = Sender(client: TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .seconds(2)),
                            store: store, floodLimits: true)
        let bulk = (1...80).map { OutgoingMessage.text("news \($0)", to: Int64($0)).inDeliveryGroup("news") }
        await sender.enqueue(try await store.enqueue(bulk))
        await sender.enqueue(try await store.enqueue([.text("your reply", to: 5000)]))
        let calls = await fake.waitForCalls("sendMessage", count: 81, timeout: .seconds(20))
        try #require(calls.count == 81)
        let position = try #require(calls.firstIndex { $0.text == "your reply" })
        // First in line (or right behind the few already in flight), never 81st: at 30 messages a second the reply
        // would otherwise wait as long as the whole group takes.
        #expect(position <= 20)
        // Within a chat the order holds, and the group still goes out completely.
        #expect(calls.filter { $0.text?.hasPrefix("news") == true }.count == 80)
        #expect(await fake.floodRejections == 0)
        #expect(await sender.flush(timeout: .seconds(10)))
        #expect(try await store.deliveryCounts("news") == DeliveryGroupCounts(sent: 80))
        await fake.stop()
        directory.remove()
    }

    @Test func rowsLoadedAfterARestartKeepTheirGroupSoTheyStillGoLast() async throws {
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("restart.sqlite3"))
        _ = try await store.enqueue([.text("news", to: 1).inDeliveryGroup("news"), .text("reply", to: 2)])
        let reopened = try BotStore(path: directory.file("restart.sqlite3"))
        #expect(try await reopened.pendingOutbox().map(\.message.deliveryGroup) == ["news", nil])
        directory.remove()
    }

    @Test func aChatsOwnMessagesKeepTheirOrderWhateverTheirPriority() async throws {
        var lanes = ChatLanes<String>(limit: 4) { $0.hasPrefix("bulk") }
        lanes.append("bulk a", to: 1)
        lanes.append("urgent b", to: 1)
        lanes.append("bulk c", to: 2)
        lanes.append("urgent d", to: 3)
        // Chat 3's urgent head goes first; chat 1 keeps its own order (its bulk head first), and once its head is
        // urgent it goes before chat 2's bulk.
        var taken: [String] = []
        while let (chat, item) = lanes.takeNext() {
            taken.append(item)
            lanes.finish(chat)
        }
        #expect(taken == ["urgent d", "bulk a", "urgent b", "bulk c"])
        #expect(lanes.isEmpty)
    }
}
