@testable import BotKit
import Foundation
import TestSupport
import Testing

/// A delivery group (an announcement to thousands of chats) drains at Telegram's overall limit for minutes; a reply,
/// an alert or the admin's progress edit queued meanwhile must not wait behind every chat of it.
@Suite struct DeliveryGroupPriorityTests {
    /// Every item in the order the lanes hand them out, each chat finishing before the next is taken.
    static func drain(_ lanes: inout ChatLanes<String>) -> [String] {
        var taken: [String] = []
        while let (chat, item) = lanes.takeNext() {
            taken.append(item)
            lanes.finish(chat)
        }
        return taken
    }

    @Test func aReplyQueuedDuringALargeGroupGoesBeforeTheGroupsRest() async throws {
        // The fake does not refuse for flood here: on a loaded machine requests held up for a third of a second arrive
        // together and overrun its bucket whatever the sender did, and a 429's retry would blur the order under test.
        // The sender's own pace is checked below from the arrival times instead.
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("priority.sqlite3"))
        // A generous request limit: on a loaded machine a 2 s limit expired on calls the fake had already taken, and the
        // sender's retry (the documented repeat) made the raw count 82, which says nothing about priority.
        let sender = Sender(client: TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .seconds(15)),
                            store: store, floodLimits: true)
        let bulk = (1...80).map { OutgoingMessage.text("news \($0)", to: Int64($0)).inDeliveryGroup("news") }
        // Both stored first: on a loaded machine the reply's insert alone took long enough for 25 of the group to go.
        let groupRows = try await store.enqueue(bulk), replyRows = try await store.enqueue([.text("your reply", to: 5000)])
        // Taken before the first row can go: a delay on the way can only lengthen the span measured from here (from the
        // first arrival instead, a delay of the first burst alone would shorten it).
        let enqueued = ContinuousClock.now
        await sender.enqueue(groupRows)
        await sender.enqueue(replyRows)
        let calls = await fake.waitForCalls("sendMessage", count: 81, timeout: .seconds(20))
        try #require(calls.count >= 81)
        let position = try #require(calls.firstIndex { $0.text == "your reply" })
        // First in line (or right behind the few already in flight), never 81st: at 30 messages a second the reply
        // would otherwise wait as long as the whole group takes.
        #expect(position <= 20)
        #expect(await sender.flush(timeout: .seconds(20)))
        // The group still goes out completely, each message once.
        let sent = await fake.waitForCalls("sendMessage", count: 81).compactMap(\.text).filter { $0.hasPrefix("news") }
        #expect(sent.count == 80 && Set(sent).count == 80)
        // The sender kept Telegram's pace: 81 messages at 30 a second after a burst of 30 take 1.7 s (without its limiter,
        // a tenth of that), and delays on the way only lengthen it.
        let all = await fake.waitForCalls("sendMessage", count: 81)
        #expect(enqueued.duration(to: all[80].receivedAt) >= .seconds(1.2))
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

    @Test func aChatsOwnMessagesKeepTheirOrderWhateverTheirPriority() {
        var lanes = ChatLanes<String>(limit: 4) { $0.hasPrefix("bulk") }
        lanes.append("bulk a", to: 1)
        lanes.append("urgent b", to: 1)
        lanes.append("bulk c", to: 2)
        lanes.append("urgent d", to: 3)
        // Chat 1 holds a reply, so it goes in the first queue, in its own order (its bulk head first); chat 2, all bulk,
        // goes last.
        let taken = Self.drain(&lanes)
        #expect(taken == ["bulk a", "urgent d", "urgent b", "bulk c"])
        #expect(lanes.isEmpty)
    }

    @Test func aReplyToAChatWithAnAnnouncementAheadMovesThatChatUp() {
        var lanes = ChatLanes<String>(limit: 4) { $0.hasPrefix("bulk") }
        for chat in Int64(1)...5 { lanes.append("bulk \(chat)", to: chat) }
        // Chat 5's user asks something while their copy of the announcement still waits, fifth in line.
        lanes.append("urgent 5", to: 5)
        let taken = Self.drain(&lanes)
        // Their copy goes first (their chat's order holds), then the reply, then everyone else's copy.
        #expect(taken == ["bulk 5", "urgent 5", "bulk 1", "bulk 2", "bulk 3", "bulk 4"])
        #expect(lanes.isEmpty)
    }
}
