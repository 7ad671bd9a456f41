import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// /analyze through the whole bot on the fake OpenAlgo: typed and pressed answers, an unknown ticker, a stock without
/// options, a covered call without shares, /cancel, edits, a restart, and the counts `pollbot stats` reads.
@Suite(.serialized) struct StockAnalysisFlowTests {
    let alice = FakeUser(id: 5101, firstName: "Alice")

    /// A year and more of daily candles ending today, drifting up to about RELIANCE's fake price.
    static func dailyHistory(sessions: Int = 460) -> [[String: Any]] {
        let calendar = MarketCalendar.india
        let days = calendar.tradingDays(endingAt: calendar.latestSession(at: Date()), count: sessions)
        return days.enumerated().map { index, day in
            let close = 1150 + Double(index) * 0.55 + 25 * sin(Double(index) / 9)
            return ["timestamp": Int(calendar.midnight(of: day).timeIntervalSince1970), "open": close - 3, "high": close + 9,
                    "low": close - 11, "close": close, "volume": 1_000_000 + index * 100]
        }
    }

    static func rig() async throws -> BrokerRig {
        let rig = try await BrokerRig.make()
        await rig.broker.setHistory(dailyHistory())
        return rig
    }

    func open(_ rig: BrokerRig) async throws -> ConversationRecord? {
        try await TraderApp.openStore(path: rig.harness.config.storage.path).conversation(chatID: alice.id, userID: alice.id)
    }

    @Test func typedAnswersWalkFromTickerToStrategyToTheAnalysisAndExecute() async throws {
        let rig = try await Self.rig()
        await rig.link(alice)
        #expect(await rig.ask("/analyze", from: alice).first?.visibleText == "Which ticker? Send a symbol like RELIANCE, or /cancel.")
        // An unknown ticker keeps the question open.
        #expect(await rig.ask("XYZ", from: alice).first?.visibleText == "I could not find XYZ on NSE; send another ticker or /cancel.")
        #expect(try await open(rig)?.state == "ticker")
        let question = try #require(await rig.ask("reliance", from: alice).first)
        #expect(question.visibleText?.hasPrefix("RELIANCE NSE at 1,420.10") == true)
        #expect(question.visibleText?.contains("Which strategy?\n1) Cash-secured put\n2) Covered call\n3) Wheel") == true)
        #expect(question.buttons.map(\.text) == ["Cash-secured put", "Covered call", "Wheel"])
        #expect(try await open(rig)?.state == "strategy")
        let analysis = try #require(await rig.ask("1", from: alice).first)
        let text = try #require(analysis.visibleText)
        #expect(text.hasPrefix("Stock analysis · ") && text.contains("RELIANCE · Cash-secured put"))
        #expect(text.contains("1,420.10"))
        #expect(analysis.buttons.map(\.text) == ["Execute", "Done"])
        let photo = try #require(await rig.fake.waitForCalls("sendPhoto", count: 1).first)
        #expect((photo.parameters["caption"] as? String)?.contains("proposed strikes and breakevens") == true)
        #expect(PNGImage(try #require(photo.files["photo"]))?.width == 1280)
        let open = try #require(try await open(rig))
        #expect(open.state == "execute" && open.data["strategy"] == "csp")
        let draft = try #require(open.data["draft"].flatMap(OrderDraftText.decoded))
        #expect(draft.action == .sell && draft.exchange == "NFO" && draft.quantity == FakeOpenAlgoOptions.lotSize && draft.lots == 1)
        #expect(draft.symbol.hasPrefix("RELIANCE") && draft.symbol.hasSuffix("PE"))
        let executed = try #require(await rig.ask("yes", from: alice).first?.visibleText)
        #expect(executed.hasPrefix("Trading is off on this bot.") && executed.contains("No order was placed."))
        #expect(executed.contains("SELL 500 (1 lot) \(draft.symbol) NFO, LIMIT"))
        #expect(try await self.open(rig) == nil)
        let stats = try await TraderApp.openStore(path: rig.harness.config.storage.path).conversationStats(days: 1)
        #expect(stats == [ConversationStats(name: "analyze", started: 1, completed: 1, cancelled: 0, timedOut: 0, replaced: 0, abandoned: 0)])
        await rig.close()
    }

    @Test func buttonsAnswerAndAnEndedAnalysisButtonGetsTheToast() async throws {
        let rig = try await Self.rig()
        await rig.link(alice)
        let question = try #require(await rig.ask("/analyze RELIANCE", from: alice).first)
        let wheel = try #require(question.buttons.first { $0.text == "Wheel" })
        let before = await rig.fake.sent("sendMessage").count
        _ = await rig.fake.pressButton(wheel.data, by: alice)
        let analysis = try #require(await rig.fake.waitForCalls("sendMessage", count: before + 1).last)
        #expect(analysis.visibleText?.contains("RELIANCE · Wheel") == true)
        let done = try #require(analysis.buttons.first { $0.text == "Done" })
        let execute = try #require(analysis.buttons.first { $0.text == "Execute" })
        _ = await rig.fake.pressButton(done.data, by: alice)
        #expect(await rig.fake.waitForCalls("sendMessage", count: before + 2).last?.visibleText == "Done. Send /analyze for another stock.")
        _ = await rig.fake.pressButton(execute.data, by: alice)
        let toasts = await rig.fake.waitUntil { $0.filter { $0.method == "answerCallbackQuery" }.count == 3 }
            .filter { $0.method == "answerCallbackQuery" }
        #expect(toasts.last?.parameters["text"] as? String == "This conversation has ended")
        #expect(await rig.fake.sent("sendMessage").count == before + 2)
        await rig.close()
    }

    @Test func aStockWithoutOptionsGetsTheStockPartAndNothingToExecute() async throws {
        let rig = try await Self.rig()
        await rig.link(alice)
        let analysis = try #require(await rig.ask("/analyze TCS csp", from: alice).first?.visibleText)
        #expect(analysis.contains("No options trade on TCS"))
        #expect(analysis.contains("RSI"))
        let executed = try #require(await rig.ask("Execute", from: alice).first?.visibleText)
        #expect(executed.hasPrefix("There is no order to place from this analysis"))
        await rig.close()
    }

    @Test func aCoveredCallWithoutSharesSaysHowManyAreNeededAndHasNoDraft() async throws {
        let rig = try await Self.rig()
        await rig.link(alice)
        let analysis = try #require(await rig.ask("/analyze RELIANCE cc", from: alice).first?.visibleText)
        #expect(analysis.contains("500"))
        #expect(analysis.lowercased().contains("you hold 0 shares"))
        #expect(try await open(rig)?.data["draft"] == nil)
        await rig.close()
    }

    @Test func cancelEndsItEditsNeverAdvanceItAndARestartContinuesIt() async throws {
        var rig = try await Self.rig()
        await rig.link(alice)
        _ = await rig.ask("/analyze", from: alice)
        // An edit of an earlier message is not an answer.
        _ = await rig.fake.sendText("RELIANCE", from: alice, edited: true)
        _ = await rig.ask("/whoami", from: alice)
        #expect(try await open(rig)?.state == "ticker")
        _ = await rig.ask("RELIANCE", from: alice)
        let before = try #require(try await open(rig))
        rig = try await rig.restarted()
        #expect(try await open(rig) == before)
        #expect(await rig.ask("2", from: alice).first?.visibleText?.contains("RELIANCE · Covered call") == true)
        #expect(await rig.ask("/cancel", from: alice).first?.visibleText == "Cancelled the stock analysis.")
        #expect(try await open(rig) == nil)
        let stats = try #require(try await TraderApp.openStore(path: rig.harness.config.storage.path).conversationStats(days: 1).first)
        #expect(stats.started == 1 && stats.cancelled == 1 && stats.completionRate == 0)
        await rig.close()
    }

    @Test func plainTextStartsTheAnalysis() async throws {
        let rig = try await Self.rig()
        await rig.link(alice)
        let question = try #require(await rig.ask("please analyse reliance", from: alice).first)
        #expect(question.visibleText?.contains("Which strategy?") == true)
        #expect(try await open(rig)?.state == "strategy")
        await rig.close()
    }

    @Test func whereTradingIsOnExecuteHandsTheDraftToThePreviewAndConfirmPlacesOneOrder() async throws {
        let rig = try await BrokerRig.make(sections: "[trading]\nenabled = true\nusers = [\(alice.id)]\nmarket_hours_only = false")
        await rig.broker.setHistory(Self.dailyHistory())
        await rig.link(alice)
        _ = await rig.ask("/analyze RELIANCE csp", from: alice)
        let draft = try #require(try await open(rig)?.data["draft"].flatMap(OrderDraftText.decoded))
        let preview = try #require(await rig.ask("Execute", from: alice).first)
        let text = try #require(preview.visibleText)
        #expect(text.contains("Order preview") && text.contains("SELL 500 (1 lot) \(draft.symbol) NFO, LIMIT"))
        #expect(text.contains("From: stock analysis"))
        #expect(try await open(rig) == nil)
        let confirm = try #require(preview.buttons.first { $0.text.contains("Confirm") })
        let before = await rig.fake.sent("sendMessage").count
        _ = await rig.fake.pressButton(confirm.data, by: alice)
        let outcome = await rig.fake.waitUntil(timeout: .seconds(20)) { calls in
            calls.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains("Placed") == true }
        }
        #expect(outcome.contains { $0.visibleText?.contains("Placed") == true })
        #expect(await rig.broker.placedOrderCount == 1)
        let sent = try #require(await rig.broker.bodies("placeorder").first)
        #expect(sent.contains("\"symbol\":\"\(draft.symbol)\"") && sent.contains("\"action\":\"SELL\"") && sent.contains("\"exchange\":\"NFO\""))
        await rig.close()
    }
}
