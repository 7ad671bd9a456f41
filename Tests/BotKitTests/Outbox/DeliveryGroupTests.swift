@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The sender records how each grouped row ended (sent, blocked, failed) as it removes it, in rows that outlive the
/// outbox row and the process; ungrouped rows are not counted.
@Suite struct DeliveryGroupTests {
    @Test func eachGroupedRowEndsAsSentBlockedOrFailedAndTheCountsSurviveAReopen() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        let store = try BotStore(path: directory.file("groups.sqlite3"))
        let sender = Sender(client: TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .seconds(2)),
                            store: store, floodLimits: false)
        await fake.block(chatID: 3)
        // An empty text is refused for good (400): a failure, not a retry.
        let messages = [OutgoingMessage.text("hi", to: 1), .text("hi", to: 2), .text("hi", to: 3), .text(" ", to: 4)]
            .map { $0.inDeliveryGroup("news") } + [.text("not grouped", to: 5)]
        let items = try await store.enqueue(messages)
        #expect(try await store.deliveryCounts("news") == DeliveryGroupCounts(pending: 4))
        await sender.enqueue(items)
        #expect(await sender.flush(timeout: .seconds(10)))
        #expect(try await store.deliveryCounts("news") == DeliveryGroupCounts(sent: 2, blocked: 1, failed: 1))

        let reopened = try BotStore(path: directory.file("groups.sqlite3"))
        #expect(try await reopened.deliveryCounts("news") == DeliveryGroupCounts(sent: 2, blocked: 1, failed: 1))
        #expect(try await reopened.deliveryCounts("other").total == 0)
        try await reopened.forgetDeliveryGroup("news")
        #expect(try await reopened.deliveryCounts("news").total == 0)
        await fake.stop()
        directory.remove()
    }
}
