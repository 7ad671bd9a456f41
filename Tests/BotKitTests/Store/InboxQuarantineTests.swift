@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The inbox side of poisoned updates: counted starts, failed rows, what the operator sees, how long they stay.
@Suite struct InboxQuarantineTests {
    func slots(_ ids: [Int64], text: String = "/positions") throws -> [UpdateSlot] {
        let json = "[" + ids.map { #"{"update_id":\#($0),"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"\#(text)"}}"# }
            .joined(separator: ",") + "]"
        return try JSONDecoder().decode([UpdateSlot].self, from: Data(json.utf8))
    }

    @Test func startsAreCountedAndAThirdIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        do {
            let store = try BotStore(path: path)
            _ = try await store.record(slots([1]))
            #expect(try await store.startAttempt(updateID: 1, limit: 2) == .run)
        }
        // The count is committed before the handler runs: a process that dies here keeps it.
        let reopened = try BotStore(path: path)
        #expect(try await reopened.startAttempt(updateID: 1, limit: 2) == .run)
        #expect(try await reopened.startAttempt(updateID: 1, limit: 2) == .exhausted(attempts: 2))
        #expect(try await reopened.startAttempt(updateID: 99, limit: 2) == .settled)

        let notice = OutgoingMessage.text("given up", to: 5)
        #expect(try await reopened.fail(updateID: 1, reason: "handler crashed or was killed 2 times", errorID: "abc123",
                                        notice: [notice]).count == 1)
        #expect(try await reopened.fail(updateID: 1, reason: "again", errorID: "def456", notice: [notice]).isEmpty)
        #expect(try await reopened.storedPayload(updateID: 1)?.isEmpty == true, "a given-up update keeps no payload (it may hold a key)")
        #expect(try await reopened.startAttempt(updateID: 1, limit: 2) == .settled)
        // A late result of the abandoned handler is not stored.
        #expect(try await reopened.complete(updateID: 1, replies: [.text("late", to: 5)]).isEmpty)
        #expect(try await reopened.pendingInbox().isEmpty)
        #expect(try await reopened.pendingOutbox().map(\.message) == [notice])

        let failed = try await reopened.failedUpdates()
        #expect(failed.count == 1)
        #expect(failed.first?.updateID == 1)
        #expect(failed.first?.chatID == 5)
        #expect(failed.first?.attempts == 2)
        #expect(failed.first?.errorID == "abc123")
        #expect(failed.first?.reason == "handler crashed or was killed 2 times")
        let table = FailedUpdate.table(failed)
        #expect(table.contains("1\t5\t"))
        #expect(table.contains("\t2\tabc123\thandler crashed"))
        #expect(!table.contains("/positions"), "the listing shows no payload")
        let counts = try await reopened.inboxCounts()
        #expect(counts.failed == 1 && counts.pending == 0)
    }

    @Test func failedRowsOutliveHandledOnesForAWeek() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BotStore(path: directory.file("db.sqlite3"))
        let now = Date()
        func day(_ ago: Double) -> Date { now.addingTimeInterval(-ago * 86_400) }
        _ = try await store.record(slots([1]), receivedAt: day(3))
        _ = try await store.record(slots([2]), receivedAt: day(3))
        _ = try await store.record(slots([3]), receivedAt: day(8))
        _ = try await store.record(slots([4]), receivedAt: day(1))
        _ = try await store.complete(updateID: 1, replies: [])
        _ = try await store.fail(updateID: 2, reason: "timed out after 60 s", errorID: "aaaaaa", notice: [])
        _ = try await store.fail(updateID: 3, reason: "timed out after 60 s", errorID: "bbbbbb", notice: [])
        try await store.pruneInbox(olderThan: 2 * 86_400, now: now)
        #expect(try await store.failedUpdates().map(\.updateID) == [2])
        #expect(try await store.isHandled(updateID: 1) == false)
        #expect(try await store.pendingInbox().map(\.update.updateID) == [4])
    }

    @Test func aRowThatNoLongerOpensIsMarkedFailedAndLogged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        do {
            let store = try BotStore(path: path, vault: Vault(current: try MasterKey.generate(to: directory.file("old.key"))))
            _ = try await store.record(slots([1, 2]))
        }
        let capture = LogCapture()
        let store = try BotStore(path: path, vault: Vault(current: try MasterKey.generate(to: directory.file("new.key"))))
        #expect(try await store.pendingInbox(logger: capture.logger()).isEmpty)
        // Not pending any more: the next start does not meet them again.
        #expect(try await store.pendingInbox().isEmpty)
        let failed = try await store.failedUpdates()
        #expect(failed.map(\.updateID) == [1, 2])
        #expect(failed.allSatisfy { $0.reason == "stored update cannot be opened with the master key" })
        for update in failed {
            #expect(capture.text.contains("update_id=\(update.updateID)"))
            #expect(capture.text.contains("error_id=\(update.errorID ?? "?")"))
        }
    }
}
