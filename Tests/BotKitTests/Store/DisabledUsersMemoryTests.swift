@testable import BotKit
import Foundation
import TestSupport
import Testing

/// The access check reads disabled users from memory; these show when that memory follows the database: at once for
/// the bot's own store, and for another process (`pollbot users --disable` opens a store of its own) at the next
/// update's `startAttempt`, which runs before that update's handler and so before its access check.
@Suite struct DisabledUsersMemoryTests {
    func slot(_ id: Int64) throws -> [UpdateSlot] {
        let json = #"[{"update_id":\#(id),"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"hi"}}]"#
        return try JSONDecoder().decode([UpdateSlot].self, from: Data(json.utf8))
    }

    @Test func anotherConnectionsChangeIsSeenFromTheNextStartAttemptAndOwnChangesAtOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("db.sqlite3")
        let bot = try BotStore(path: path)
        for id: Int64 in [41, 42] { try await bot.touchUser(User(id: id, firstName: "U\(id)")) }
        let lookup = bot.disabledLookup
        #expect(await lookup(41) == false)

        let cli = try BotStore(path: path)
        #expect(try await cli.setUserDisabled(41, true) == .changed)
        _ = try await bot.record(try slot(1))
        #expect(try await bot.startAttempt(updateID: 1, limit: 2) == .run)
        #expect(await lookup(41) == true)
        #expect(await lookup(42) == false)

        // Enabled elsewhere, then disabled and enabled here: each step is what the database holds.
        #expect(try await cli.setUserDisabled(41, false) == .changed)
        _ = try await bot.record(try slot(2))
        _ = try await bot.startAttempt(updateID: 2, limit: 2)
        #expect(await lookup(41) == false)
        #expect(try await bot.setUserDisabled(42, true) == .changed)
        #expect(await lookup(42) == true)
        #expect(try await bot.setUserDisabled(42, false) == .changed)
        #expect(await lookup(42) == false)
        #expect(try await bot.isUserDisabled(42) == false)

        // A store opened on a database that already has disabled users knows them before any update.
        #expect(try await cli.setUserDisabled(42, true) == .changed)
        let restarted = try BotStore(path: path)
        #expect(await restarted.disabledLookup(42) == true)
        #expect(await restarted.disabledLookup(7) == false)
    }
}
