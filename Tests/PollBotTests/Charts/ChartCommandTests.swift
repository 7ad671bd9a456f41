import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// /chart through the whole bot: history from the fake OpenAlgo, the photo or album to the fake Telegram.
@Suite struct ChartCommandTests {
    let alice = FakeUser(id: 6001, firstName: "Alice")

    /// Five sessions of 5-minute candles ending in the latest session, plus daily ones: what `history` returns.
    static func history() -> [[String: Any]] {
        let calendar = MarketCalendar.india
        let days = calendar.tradingDays(endingAt: calendar.latestSession(at: Date()), count: 5)
        var price = 1400.0
        return days.flatMap { day in
            (0..<75).map { slot -> [String: Any] in
                price += slot % 7 == 0 ? -1.5 : 0.6
                return ["timestamp": Int(calendar.time(day: day, minute: slot * 5).timeIntervalSince1970),
                        "open": "\(price - 0.4)", "high": price + 1, "low": price - 1.2, "close": price, "volume": "\(1000 + slot * 10)"]
            }
        }
    }

    @Test func aChartIsAPhotoWithACaptionAfterAnUploadPhotoAction() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        await rig.broker.setHistory(Self.history())
        await rig.fake.sendText("/chart reliance", from: alice)
        let photo = try #require(await rig.fake.waitForCalls("sendPhoto", count: 1).first)
        let caption = try #require(photo.parameters["caption"] as? String)
        #expect(caption.contains("<b>RELIANCE</b> NSE") && caption.contains("Intraday 5m, 5 sessions: last 1,"))
        #expect(caption.count <= 1024)
        let png = try #require(photo.files["photo"])
        let image = try #require(PNGImage(png))
        #expect(image.width == 1280 && image.height == 720)
        let action = try #require(await rig.fake.sent("sendChatAction").first)
        #expect(action.parameters["action"] as? String == "upload_photo")
        #expect(action.receivedAt < photo.receivedAt)
        let history = await rig.broker.requests.filter { $0.endpoint == "history" }
        #expect(history.count == 1)
        await rig.close()
    }

    @Test func bothSendsOneAlbumOfTwoCharts() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        await rig.broker.setHistory(Self.history())
        await rig.fake.sendText("/chart RELIANCE b", from: alice)
        let album = try #require(await rig.fake.waitForCalls("sendMediaGroup", count: 1).first)
        #expect(album.files.keys.sorted() == ["chart0", "chart1"])
        for png in album.files.values { #expect(PNGImage(png)?.width == 1280) }
        #expect(await rig.fake.sent("sendPhoto").isEmpty)
        await rig.close()
    }

    @Test func badIntervalsAndSessionCountsListWhatIsValid() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let interval = try #require(await rig.ask("/chart RELIANCE 7m", from: alice).first?.visibleText)
        #expect(interval.hasPrefix("7m is not an interval this broker offers for intraday charts. Valid: 1m 3m 5m 10m 15m 30m 1h."))
        let daily = try #require(await rig.ask("/chart RELIANCE daily 5m", from: alice).first?.visibleText)
        #expect(daily.contains("Valid: D."))
        let sessions = try #require(await rig.ask("/chart RELIANCE 90", from: alice).first?.visibleText)
        #expect(sessions.hasPrefix("SESSIONS must be 1\u{2013}30 for intraday charts and 5\u{2013}2000 for daily charts, not 90."))
        let empty = try #require(await rig.ask("/chart RELIANCE", from: alice).first?.visibleText)  // the fake has no history set
        #expect(empty.hasPrefix("No 5m candles for RELIANCE NSE in the last 5 sessions"))
        #expect(await rig.fake.sent("sendPhoto").isEmpty)
        await rig.close()
    }
}
