@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The WAL is checkpointed off the update path: bounded by the checkpointer, and nothing lost without a checkpoint.
@Suite struct WALCheckpointTests {
    func slots(_ ids: ClosedRange<Int64>) throws -> [UpdateSlot] {
        let json = "[" + ids.map { #"{"update_id":\#($0),"message":{"message_id":1,"date":0,"chat":{"id":\#($0),"type":"private"},"text":"/start"}}"# }
            .joined(separator: ",") + "]"
        return try JSONDecoder().decode([UpdateSlot].self, from: Data(json.utf8))
    }

    /// One update's writes as the bot makes them: record, count the start, complete with a reply, deliver it.
    func handle(_ id: Int64, in store: BotStore) async throws {
        _ = try await store.record(slots(id...id))
        #expect(try await store.startAttempt(updateID: id, limit: 2) == .run)
        let queued = try await store.complete(updateID: id, replies: [.text(String(repeating: "reply ", count: 50), to: id)])
        for item in queued { try await store.removeOutbox(id: item.id) }
    }

    func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func theCheckpointerKeepsTheWALUnderItsBoundWithAutocheckpointOff() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        let limit = 256 << 10
        // Never idle within the test: only the size bound can trigger a checkpoint.
        let store = try BotStore(path: path, checkpoints: .init(idle: .seconds(3600), walLimit: limit))
        #expect(try await store.autocheckpointPages() == 0)
        // The same writes with no checkpoint at all: the WAL holds every frame, many times the bound. The largest
        // growth of one update is what may land past the bound while the checkpoint it triggered runs.
        let controlPath = directory.file("control.sqlite3")
        let control = try BotStore(path: controlPath, checkpoints: .init(idle: .seconds(3600), walLimit: 1 << 30))
        var largestUpdate = 0
        for id in Int64(1)...400 {
            let before = fileSize(controlPath + "-wal")
            try await handle(id, in: control)
            largestUpdate = max(largestUpdate, fileSize(controlPath + "-wal") - before)
        }
        #expect(fileSize(controlPath + "-wal") > 8 * limit)

        // Creating the tables wrote frames before the first update: the bound counts from there if they are more.
        let opened = fileSize(path + "-wal")
        var largest = 0
        for id in Int64(1)...400 {
            try await handle(id, in: store)
            store.checkpointer.waitUntilCaughtUp()
            largest = max(largest, fileSize(path + "-wal"))
        }
        #expect(largest <= max(limit, opened) + largestUpdate + 4096)
        #expect(store.checkpointer.currentStats.checkpoints >= 4)
        #expect(store.checkpointer.currentStats.failures == 0)
        #expect(try await store.handledCount() == 400)
        #expect(try await store.outboxCount() == 0)
    }

    @Test func aKillWithoutACheckpointLosesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        let store = try BotStore(path: path, checkpoints: .init(idle: .seconds(3600), walLimit: 1 << 30))
        for id in Int64(1)...200 { try await handle(id, in: store) }
        _ = try await store.queueNow([.text("still queued", to: 7)])
        #expect(store.checkpointer.currentStats.checkpoints == 0)

        // What kill -9 leaves on disk: the database file and the WAL as they are, no wal-index, no last checkpoint.
        let crashed = try TemporaryDirectory()
        defer { crashed.remove() }
        let copy = crashed.file("db.sqlite3")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        #expect(fileSize(copy + "-wal") > fileSize(copy))

        let reopened = try BotStore(path: copy)
        #expect(try await reopened.handledCount() == 200)
        #expect(try await reopened.pollOffset() == 201)
        #expect(try await reopened.outboxCount() == 1)
        #expect(try await reopened.integrityCheck() == "ok")
    }

    @Test func checkpointsWaitForIdleUnlessAskedAndTruncateOnlyWhenIdle() {
        let policy = WALCheckpointer.Policy(idle: .seconds(1), walLimit: 1 << 20)
        let start = ContinuousClock.now
        func action(after: Duration, dirty: Bool = true, asked: Bool = false, grown: Bool = false) -> WALCheckpointer.Action {
            WALCheckpointer.nextAction(now: start + after, lastCommit: start, dirty: dirty, asked: asked,
                                       fileNeedsTruncate: grown, policy: policy)
        }
        #expect(action(after: .milliseconds(300)) == .wait(.milliseconds(700)))
        #expect(action(after: .milliseconds(300), asked: true) == .passive)
        #expect(action(after: .seconds(1)) == .passive)
        #expect(action(after: .seconds(2), dirty: false) == .wait(.seconds(1)))
        #expect(action(after: .milliseconds(10), grown: true) == .wait(.milliseconds(990)))
        #expect(action(after: .seconds(5), grown: true) == .truncate)
    }
}

extension BotStore {
    fileprivate func autocheckpointPages() throws -> Int {
        try db.query("PRAGMA wal_autocheckpoint") { $0.int(0) }.first ?? -1
    }

    fileprivate func integrityCheck() throws -> String {
        try db.query("PRAGMA integrity_check") { $0.text(0) }.first ?? ""
    }
}
