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
        #expect(try await reopened.schemaVersion() == Schema.botKit.steps.count)
        #expect(try await reopened.pendingInbox().map(\.update.updateID) == [8])
        #expect(try await reopened.pendingOutbox().count == 1)
        #expect(try await reopened.pollOffset() == 9)
    }
}

@Suite struct CommandLogTests {
    @Test func oldRowsArePrunedAndStatsAreComputed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let now = Date()
        let slots = try JSONDecoder().decode([UpdateSlot].self, from: Data("[{\"update_id\":1},{\"update_id\":2},{\"update_id\":3}]".utf8))
        _ = try await store.record(slots)
        func entry(_ daysAgo: Double, _ outcome: CommandLogEntry.Outcome, _ latency: Int) -> CommandLogEntry {
            CommandLogEntry(userID: 5, chatID: 5, command: "/funds", arguments: "", startedAt: now.addingTimeInterval(-daysAgo * 86_400),
                            latencyMilliseconds: latency, outcome: outcome)
        }
        _ = try await store.complete(updateID: 1, replies: [], log: entry(100, .ok, 10), user: User(id: 5, firstName: "A"))
        _ = try await store.complete(updateID: 2, replies: [], log: entry(1, .ok, 20))
        _ = try await store.complete(updateID: 3, replies: [], log: entry(0, .error, 40))
        try await store.pruneCommandLog(olderThanDays: 90, now: now)
        #expect(try await store.commandLog().count == 2)
        let (commands, active) = try await store.commandStats(days: 7, now: now)
        #expect(active == 1)
        #expect(commands.first?.count == 2)
        #expect(commands.first?.successRate == 0.5)
        #expect(commands.first?.p95Milliseconds == 40)
    }
}

extension BotStoreTests {
    @Test func theLargestPossibleUpdateIDIsRecordedWithoutOverflowingTheOffset() async throws {
        // Only a hostile or broken server sends it; `highest + 1` trapped.
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        #expect(try await store.record(slots([Int64.max - 1, Int64.max])).count == 2)
        #expect(try await store.pollOffset() == Int64.max)
        #expect(BotStore.offset(after: 41) == 42)
    }
}
