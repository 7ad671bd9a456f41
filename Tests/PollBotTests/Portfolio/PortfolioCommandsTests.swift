import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// The portfolio commands through the whole bot, against the fake OpenAlgo's account (strings and numbers mixed).
@Suite struct PortfolioCommandsTests {
    let alice = FakeUser(id: 3001, firstName: "Alice")

    /// Every line inside a `<pre>` block of `html` fits a phone (34 columns).
    static func preLinesFit(_ html: String) -> Bool {
        html.components(separatedBy: "<pre>").dropFirst().allSatisfy { block in
            let body = block.components(separatedBy: "</pre>")[0]
            return HTML.plainText(body).split(separator: "\n").allSatisfy { $0.count <= TextTable.width }
        }
    }

    /// True when a line of `text` is `label`, spaces, then `value` (a table row, whatever the padding).
    static func row(_ text: String, _ label: String, _ value: String) -> Bool {
        text.split(separator: "\n").contains { line in
            line.hasPrefix(label) && line.hasSuffix(value) && line.dropFirst(label.count).dropLast(value.count).allSatisfy { $0 == " " }
        }
    }

    @Test func fundsAndPnLShowTheBrokersNumbers() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let funds = try #require(await rig.ask("/funds", from: alice).first)
        let text = try #require(funds.visibleText)
        #expect(Self.row(text, "Available cash", "\u{20B9}320.66"))
        #expect(Self.row(text, "Used margin", "\u{20B9}679.34"))
        #expect(Self.row(text, "Total", "\u{20B9}320.66"))
        #expect(!text.contains("DEMO"))
        #expect(Self.preLinesFit(funds.text ?? ""))
        let pnl = try #require(await rig.ask("/pnl", from: alice).first?.visibleText)
        #expect(Self.row(pnl, "Realized", "-\u{20B9}12.50"))
        #expect(Self.row(pnl, "Unrealized", "+\u{20B9}45.25"))
        #expect(Self.row(pnl, "Total", "+\u{20B9}32.75"))
        await rig.close()
    }

    @Test func positionsListOpenOnesAndTotalEveryOne() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let reply = try #require(await rig.ask("/positions", from: alice).first)
        let text = try #require(reply.visibleText)
        #expect(text.contains("RELIANCE NSE MIS\n LONG 50 @ 1,402.35\n LTP 1,420.10"))
        #expect(text.contains("SBIN NSE MIS\n SHORT 100 @ 802.10"))
        #expect(text.contains("NIFTY25NOV24500CE NFO NRML\n LONG 75 @ 112.40"))
        #expect(text.contains("M&M NSE CNC"))
        // Closed positions ("0" and 0) are counted, not listed as "SHORT 0".
        #expect(!text.contains("TCS") && !text.contains("INFY") && !text.contains(" 0 @"))
        #expect(Self.row(text, "Open positions 4", "+\u{20B9}331.25"))
        #expect(Self.row(text, "Closed today 2", "+\u{20B9}73.50"))
        #expect(Self.row(text, "Total P&L", "+\u{20B9}404.75"))
        #expect(Self.preLinesFit(reply.text ?? ""))
        await rig.close()
    }

    @Test func holdingsShowEachAndTheTotals() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let text = try #require(await rig.ask("/holdings", from: alice).first?.visibleText)
        #expect(text.contains("INFY NSE\n 40 sh") && Self.row(text, " 40 sh", "+1,200.00 +2.15%"))
        #expect(Self.row(text, " 300 sh", "-540.00 -3.90%"))
        #expect(Self.row(text, "Value", "\u{20B9}2,18,413.00"))
        #expect(Self.row(text, "Invested", "\u{20B9}2,17,447.50"))
        #expect(Self.row(text, "Total P&L", "+\u{20B9}965.50"))
        await rig.close()
    }

    @Test func theOrderBookShowsAllNinetyOrdersOpenFirstSplitNotCut() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let replies = await rig.ask("/orderbook", from: alice, until: "Buy / sell")
        let text = replies.joined(separator: "\n")
        #expect(replies.count >= 2)  // longer than one message: split, nothing cut
        for order in FakeOpenAlgoData.orders {
            #expect(text.contains("#\(order["orderid"]!)"))
        }
        let open = try #require(text.range(of: "Open (20)")), completed = try #require(text.range(of: "Completed (48)"))
        let rejected = try #require(text.range(of: "Rejected (10)")), cancelled = try #require(text.range(of: "Cancelled (10)"))
        #expect(open.lowerBound < completed.lowerBound && completed.lowerBound < rejected.lowerBound
                && rejected.lowerBound < cancelled.lowerBound)
        #expect(text.contains("Other (2)") && text.contains("AMO REQ RECEIVED"))
        #expect(Self.row(text, "Orders", "90"))
        #expect(Self.row(text, "Buy / sell", "60 / 30"))
        #expect(text.contains("LIMIT 137.50 trg 95.50 · ") && !text.contains("LIMIT 112.50 trg"))  // order 3 has a trigger, order 1 not
        await rig.close()
    }

    @Test func theTradeBookTotalsEveryTrade() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let text = await rig.ask("/tradebook", from: alice, until: "Sold (").joined(separator: "\n")
        #expect(text.components(separatedBy: " @ ").count - 1 == 42)
        #expect(Self.row(text, "Trades", "42"))
        #expect(Self.row(text, "Bought (28)", "\u{20B9}1,89,385.00"))
        #expect(Self.row(text, "Sold (14)", "\u{20B9}86,030.00"))
        await rig.close()
    }

    @Test func quotesOneAndManyWithAFailedSymbol() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let one = try #require(await rig.ask("/quote reliance", from: alice).first?.visibleText)
        #expect(one.contains("RELIANCE NSE"))
        #expect(Self.row(one, "LTP", "1,420.10"))
        #expect(Self.row(one, "Change", "+17.75 (+1.27%)"))
        #expect(Self.row(one, "Volume", "12,34,567"))
        let many = try #require(await rig.ask("/quote TCS NOPE M&M", from: alice).first?.visibleText)
        #expect(Self.row(many, "TCS NSE", "3,461.20 +0.32%"))
        #expect(Self.row(many, "NOPE NSE", "no quote") && many.contains("no quote\n Symbol not found"))
        #expect(Self.row(many, "M&M NSE", "3,050.50 +1.27%"))
        #expect(await rig.broker.requests.map(\.endpoint).suffix(2) == ["quotes", "multiquotes"])
        let unknown = try #require(await rig.ask("/quote NOPE", from: alice).first?.visibleText)
        #expect(unknown.contains("failed (HTTP 500): Symbol NOPE not found for exchange NSE"))
        #expect(unknown.contains("(error "))
        let bad = try #require(await rig.ask("/quote <b>", from: alice).first?.visibleText)
        #expect(bad.contains("is not a symbol") && bad.contains("Usage: /quote SYMBOL"))
        await rig.close()
    }

    @Test func cacheHitsDoNotCallTheBrokerAndSayAsOf() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let first = try #require(await rig.ask("/positions", from: alice).first?.visibleText)
        let second = try #require(await rig.ask("/positions", from: alice).first?.visibleText)
        #expect(!first.contains("as of"))
        #expect(second.contains("as of "))
        #expect(await rig.broker.requests.filter { $0.endpoint == "positionbook" }.count == 1)
        await rig.close()
    }

    @Test func accountViewsStayOutOfGroupsButQuotesMayBeAsked() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(alice)
        let before = await rig.fake.sent("sendMessage").count
        for command in ["/funds", "/positions", "/menu"] { await rig.fake.sendText(command, from: alice, chatID: -700) }
        let replies = await rig.fake.waitForCalls("sendMessage", count: before + 3).dropFirst(before).compactMap(\.visibleText)
        #expect(replies == ["/funds", "/positions", "/menu"].map { "\($0) shows or changes account data: use a private chat with me." })
        await rig.fake.sendText("/quote RELIANCE", from: alice, chatID: -700)
        #expect(await rig.fake.waitForCalls("sendMessage", count: before + 4).last?.visibleText?.contains("1,420.10") == true)
        await rig.close()
    }

    @Test func pnlAllSumsEveryAccountAndNamesTheOneThatFailed() async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\nfunds = 0", validKeys: [BrokerRig.apiKey, "oa_second_account_key_0000"])
        await rig.link(alice, name: "main")
        await rig.link(alice, key: "oa_second_account_key_0000", name: "second")
        let summed = try #require(await rig.ask("/pnl all", from: alice).first?.visibleText)
        #expect(Self.row(summed, "main", "+\u{20B9}32.75"))
        #expect(Self.row(summed, "second", "+\u{20B9}32.75"))
        #expect(Self.row(summed, "All accounts", "+\u{20B9}65.50"))
        await rig.broker.inject(.status(403, message: "Invalid openalgo apikey"), for: "funds")
        let partial = try #require(await rig.ask("/pnl all", from: alice).first?.visibleText)
        #expect(partial.contains("no answer"))
        #expect(Self.row(partial, "Accounts that answered", "+\u{20B9}32.75"))
        #expect(partial.contains("Not counted in the total:"))
        #expect(partial.contains("rejected the API key of account"))
        #expect(partial.contains("; /link it again."))
        let errorID = try #require(partial.firstMatch(of: /error ([0-9a-f]{6})/)?.1)
        #expect(rig.harness.logs.text.contains("error_id=\(errorID)"))
        await rig.close()
    }
}
