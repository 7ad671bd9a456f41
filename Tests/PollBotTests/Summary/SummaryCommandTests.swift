import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /notify and /performance through the whole bot: fake Telegram, the fake OpenAlgo, the real store.
@Suite struct SummaryCommandTests {
    let alice = FakeUser(id: 7311, firstName: "Alice")

    @Test func notifyAddsListsAndRemovesThresholds() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]")
        let unlinked = await rig.ask("/notify pnl below -5000", from: alice).first?.visibleText ?? ""
        #expect(unlinked.contains("No account is linked yet"))
        await rig.link(alice)
        let added = await rig.ask("/notify pnl below -5,000", from: alice).first?.visibleText ?? ""
        #expect(added.contains("below -\u{20B9}5,000.00"))
        _ = await rig.ask("/notify pnl above 10000", from: alice)
        let again = await rig.ask("/notify pnl above 10000", from: alice).first?.visibleText ?? ""
        #expect(again.contains("already have that threshold"))
        let list = await rig.ask("/notify", from: alice).first?.visibleText ?? ""
        #expect(list.contains("below -\u{20B9}5,000.00") && list.contains("above +\u{20B9}10,000.00"))
        let hostile = await rig.ask("/notify pnl below inf", from: alice).first?.visibleText ?? ""
        #expect(hostile.contains("is not an amount"))
        let off = await rig.ask("/notify off", from: alice).first?.visibleText ?? ""
        #expect(off.contains("Removed 2 P&L thresholds"))
        let empty = await rig.ask("/notify", from: alice).first?.visibleText ?? ""
        #expect(empty.contains("No P&L thresholds"))
        await rig.close()
    }

    @Test func performanceSaysNoHistoryThenDrawsTheSnapshots() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]")
        await rig.link(alice)
        let none = await rig.ask("/performance", from: alice).first?.visibleText ?? ""
        #expect(none.contains("No history yet for the last 30 days"))
        let hostile = await rig.ask("/performance 1e9d", from: alice).first?.visibleText ?? ""
        #expect(hostile.contains("from 7 to 365"))
        // Snapshots as the daily summary writes them, on the last three days, and one older than the window.
        let today = SummaryCalendar(rig.harness.config).day(of: Date())
        let other = try SQLiteDatabase(path: rig.harness.config.storage.path)
        for (offset, total) in [(0, 120.0), (1, -80.0), (2, 40.0), (40, 9999.0)] {
            try other.execute("""
                INSERT INTO daily_snapshots(user_id, day, account, realized, unrealized, total, fills, rejections, taken_at)
                VALUES(\(alice.id), \(today - offset), 'main', \(total), 0, \(total), 1, 0, 0)
                """)
        }
        let before = await rig.fake.sent("sendPhoto").count
        await rig.fake.sendText("/performance 30d", from: alice)
        let photos = await rig.fake.waitForCalls("sendPhoto", count: before + 1)
        let photo = try #require(photos.last)
        let caption = photo.parameters["caption"] as? String ?? ""
        #expect(caption.contains("3 trading days recorded"))
        #expect(caption.contains("Total +\u{20B9}80.00"))
        #expect(caption.contains("Win rate 67%"))
        #expect(caption.contains("Max drawdown \u{20B9}80.00"))
        let png = try #require(photo.files["photo"])
        #expect(PNGImage(png)?.width == PerformanceChart.width)
        await rig.close()
    }
}
