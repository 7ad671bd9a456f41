import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct BotStoreTests {
    func slots(_ ids: [Int64]) throws -> [UpdateSlot] {
        let json = "[" + ids.map { #"{"update_id":\#($0),"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"hi"}}"# }
            .joined(separator: ",") + "]"
        return try JSONDecoder().decode([UpdateSlot].self, from: Data(json.utf8))
    }

    @Test func recordingIsIdempotentAndAdvancesTheOffset() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        #expect(try await store.record(slots([10, 11])).count == 2)
        #expect(try await store.record(slots([11, 12])).map(\.update.updateID) == [12])
        #expect(try await store.pollOffset() == 13)
    }

    @Test func anUpdateIsCompletedOnceEvenIfItsHandlerRanTwice() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        _ = try await store.record(slots([1]))
        let reply = OutgoingMessage.text("hi", to: 5)
        #expect(try await store.complete(updateID: 1, replies: [reply]).count == 1)
        #expect(try await store.complete(updateID: 1, replies: [reply]).isEmpty)
        #expect(try await store.outboxCount() == 1)
        #expect(try await store.pendingInbox().isEmpty)
    }

    @Test func stateSurvivesReopeningAndTheSchemaIsVersioned() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        do {
            let store = try BotStore(path: path)
            _ = try await store.record(slots([7, 8]))
            _ = try await store.complete(updateID: 7, replies: [.text("x", to: 5)])
        }
        let reopened = try BotStore(path: path)
        #expect(await reopened.schemaVersion() >= 1)
        #expect(try await reopened.pendingInbox().map(\.update.updateID) == [8])
        #expect(try await reopened.pendingOutbox().count == 1)
        #expect(try await reopened.pollOffset() == 9)
    }
}
