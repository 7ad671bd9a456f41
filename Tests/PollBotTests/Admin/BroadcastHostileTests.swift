@testable import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A broadcast against what an admin can get wrong: text Telegram counts longer than Swift does, a preview deleted
/// before the broadcast ends.
@Suite struct BroadcastHostileTests {
    let admin = FakeUser(id: 6201, firstName: "Ada")

    @Test func textLongerInTelegramsCountIsRefusedAndTextThatFitsIsPreviewed() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(admin.id)]")
        // 900 Devanagari conjuncts: at most 1,800 Swift characters, 3,600 UTF-16 units, which Telegram counts.
        let hindi = String(repeating: "\u{0915}\u{094D}\u{0937}\u{093F}", count: 900)
        let refused = await rig.ask("/broadcast \(hindi)", from: admin).first?.visibleText
        #expect(refused?.contains("3600 characters as Telegram counts them") == true)
        let emoji = String(repeating: "\u{1F44D}", count: 1800)
        #expect(await rig.ask("/broadcast \(emoji)", from: admin).first?.visibleText?.contains("3600 characters") == true)
        // At the limit the preview (heading and text) still fits in one Telegram message.
        let fits = String(repeating: "\u{1F44D}", count: BroadcastCommand.maxLength / 2)
        let preview = await rig.ask("/broadcast \(fits)", from: admin).first
        #expect(preview?.visibleText?.hasPrefix("Broadcast preview") == true)
        #expect(preview?.button("\u{2705} Confirm") != nil)
        await rig.close()
    }

    @Test func theFinalCountReachesTheAdminWhenThePreviewWasDeleted() async throws {
        let rig = try await AdminJobRig.make(admins: [admin.id])
        let users: [Int64] = [6202, 6203]
        for user in users + [admin.id] { try await rig.store.touchUser(User(id: user, firstName: "U"), now: rig.clock.now) }
        let id = try await rig.store.saveBroadcast(html: "Holiday tomorrow", adminID: admin.id, now: rig.clock.now)
        // The admin deleted the preview: no message 424242 exists, so every edit of it fails ("message to edit not found").
        let progress = BroadcastJob.Parameters(broadcast: id, adminID: admin.id, chatID: admin.id, messageID: 424_242)
        #expect(try await rig.store.claimBroadcast(id, adminID: admin.id, maxAge: 600, now: rig.clock.now, progress: progress) != nil)
        await rig.pass(after: 0)
        #expect(await rig.flush())
        await rig.pass(after: TimeInterval(BroadcastJob.interval))
        #expect(await rig.flush())
        // The job ended (it neither spins on the failing edit nor fails), and the count arrived as a message of its own.
        #expect(try await rig.store.job(BroadcastJob.self, key: "\(id)")?.state == .done)
        #expect(try await rig.store.job(BroadcastJob.self, key: "\(id)")?.failures == 0)
        let toAdmin = await rig.telegram.sent("sendMessage").filter { $0.chatID == admin.id }.compactMap(\.text)
        #expect(toAdmin == ["<b>Broadcast finished</b>: 2 of 2 sent, 0 blocked (they blocked the bot), 0 failed."])
        let sends = await rig.telegram.sent("sendMessage").compactMap(\.chatID)
        #expect(sends.filter { users.contains($0) }.sorted() == users)
        await rig.close()
    }
}
