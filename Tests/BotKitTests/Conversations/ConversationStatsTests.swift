@testable import BotKit
import Foundation
import TestSupport
import Testing

/// How conversations ended is counted per day and conversation, once per ending, for `pollbot stats`.
@Suite struct ConversationStatsTests {
    @Test func startsAndEachKindOfEndingAreCountedOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        // Completed by its handler.
        _ = try await rig.say("/order TCS", id: 1)
        _ = try await rig.say("buy", id: 2)
        // Cancelled.
        _ = try await rig.say("/order", id: 3)
        _ = try await rig.say("/cancel", id: 4)
        // Replaced by a new start, which then times out.
        _ = try await rig.say("/order", id: 5)
        _ = try await rig.say("/order INFY", id: 6)
        let open = try #require(try await rig.open())
        _ = try await rig.store.expireConversations(now: open.expiresAt.addingTimeInterval(1)) { _ in [] }
        // An end that finds nothing to end (a finish racing the sweeper) counts nothing.
        try await rig.store.apply(.end(chatID: open.chatID, userID: open.userID, run: open.run, outcome: .completed))
        let stats = try await rig.store.conversationStats(days: 1)
        #expect(stats == [ConversationStats(name: "order", started: 4, completed: 1, cancelled: 1, timedOut: 1, replaced: 1, abandoned: 0)])
        #expect(stats.first?.completionRate == 25)
        // The counts are per day: a window that ends before today sees none of them.
        #expect(try await rig.store.conversationStats(days: 1, now: Date().addingTimeInterval(-3 * 86_400)).isEmpty)
    }

    @Test func aStateUnknownAfterAnUpgradeCountsAsAbandoned() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rig = try ConversationRig(directory: directory)
        _ = try await rig.say("/order", id: 1)
        var stored = try #require(try await rig.open())
        let was = stored.updatedAt
        stored.state = "renamed_state"
        try await rig.store.apply(.update(stored, was: was))
        #expect(try await rig.say("TCS", id: 2).first?.contains("cannot continue after the bot was updated") == true)
        #expect(try await rig.store.conversationStats(days: 7).first?.abandoned == 1)
    }
}
