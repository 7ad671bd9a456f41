@testable import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A confirmed broadcast goes out through the outbox as one delivery group; its job turns the admin's preview into a
/// progress message, edited in place, and ends with one final count of sent, blocked and failed, across a restart too.
@Suite struct BroadcastProgressTests {
    static let admin: Int64 = 9001
    static let users: [Int64] = Array(9101...9112)
    /// These users blocked the bot: Telegram answers 403.
    static let blocked: Set<Int64> = [9103, 9110]
    /// This one turned announcements off: skipped, not sent.
    static let quiet: Int64 = 9112

    /// Known users, the admin's preview sent (the message the job edits), the broadcast claimed as Confirm does.
    func confirmBroadcast(_ rig: AdminJobRig) async throws -> (id: Int64, messageID: Int64) {
        for user in Self.users + [Self.admin] { try await rig.store.touchUser(User(id: user, firstName: "U"), now: rig.clock.now) }
        try await rig.store.setNotificationLevel(.off, for: .announcements, of: Self.quiet)
        for chat in Self.blocked { await rig.telegram.block(chatID: chat) }
        await rig.sender.enqueue(try await rig.store.enqueue([.text("preview", to: Self.admin)]))
        #expect(await rig.flush())
        let messageID = await rig.telegram.lastMessageID
        let id = try await rig.store.saveBroadcast(html: "Markets close early today", adminID: Self.admin, now: rig.clock.now)
        let progress = BroadcastJob.Parameters(broadcast: id, adminID: Self.admin, chatID: Self.admin, messageID: messageID)
        #expect(try await rig.store.claimBroadcast(id, adminID: Self.admin, maxAge: 600, now: rig.clock.now, progress: progress) != nil)
        // A second Confirm claims nothing and schedules nothing.
        #expect(try await rig.store.claimBroadcast(id, adminID: Self.admin, maxAge: 600, now: rig.clock.now, progress: progress) == nil)
        return (id, messageID)
    }

    /// Each user who can get it got exactly one message; the admin got the preview and the final count.
    func expectOneEach(_ telegram: FakeTelegram) async {
        let sends = await telegram.sent("sendMessage").compactMap(\.chatID)
        let reachable = Set(Self.users).subtracting(Self.blocked).subtracting([Self.quiet])
        for user in Self.users {
            #expect(sends.filter { $0 == user }.count == (reachable.contains(user) ? 1 : 0), "user \(user)")
        }
        #expect(sends.filter { $0 == Self.admin }.count == 2)
    }

    @Test func progressIsEditedInPlaceAndEndsWithOneFinalCount() async throws {
        let rig = try await AdminJobRig.make(admins: [Self.admin])
        let (id, messageID) = try await confirmBroadcast(rig)
        await rig.pass(after: 0)
        #expect(await rig.flush())
        await rig.pass(after: TimeInterval(BroadcastJob.interval))
        #expect(await rig.flush())
        // Finished: a later pass edits nothing more.
        await rig.pass(after: TimeInterval(BroadcastJob.interval))
        #expect(await rig.flush())

        await expectOneEach(rig.telegram)
        let edits = await rig.telegram.sent("editMessageText")
        #expect(edits.allSatisfy { $0.chatID == Self.admin && ($0.parameters["message_id"] as? NSNumber)?.int64Value == messageID })
        #expect(edits.count == 2)
        #expect(edits.first?.text?.hasPrefix("<b>Broadcast</b>: 0 of 11 sent, 0 blocked, 0 failed\u{2026}") == true)
        #expect(edits.last?.text?.hasPrefix("<b>Broadcast finished</b>: 9 of 11 sent, 2 blocked (they blocked the bot), 0 failed; "
                                            + "1 skipped (announcements off).") == true)
        #expect(edits.last?.text?.hasSuffix("Markets close early today") == true)
        #expect(try await rig.store.job(BroadcastJob.self, key: "\(id)")?.state == .done)
        // Its records are dropped with the final edit.
        #expect(try await rig.store.deliveryCounts(BroadcastJob.group(id)).total == 0)
        await rig.close()
    }

    @Test func aRestartMidBroadcastStillEndsWithTheRightCount() async throws {
        let first = try await AdminJobRig.make(admins: [Self.admin], deliver: false)
        let (id, messageID) = try await confirmBroadcast(first)
        await first.pass(after: 0)
        // Half goes out (a blocked user among them) before the crash.
        let queued = try await first.store.pendingOutbox().filter { $0.message.chatID != Self.admin }
        #expect(queued.count == 11)
        await first.sender.enqueue(Array(queued.prefix(6)))
        #expect(await first.flush())
        await first.pass(after: TimeInterval(BroadcastJob.interval))
        #expect(try await first.queuedTexts(for: Self.admin).last?.hasPrefix("<b>Broadcast</b>: 5 of 11 sent, 1 blocked, 0 failed") == true)

        let second = try await first.restarted(admins: [Self.admin])
        #expect(await second.flush())
        await second.pass(after: TimeInterval(BroadcastJob.interval))
        #expect(await second.flush())

        await expectOneEach(second.telegram)
        let edits = await second.telegram.sent("editMessageText")
        #expect(edits.allSatisfy { ($0.parameters["message_id"] as? NSNumber)?.int64Value == messageID })
        #expect(edits.last?.text?.hasPrefix("<b>Broadcast finished</b>: 9 of 11 sent, 2 blocked (they blocked the bot), 0 failed;") == true)
        #expect(try await second.store.job(BroadcastJob.self, key: "\(id)")?.state == .done)
        await second.close()
    }
}
