import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// /portfolio: every linked account added up, and an account that fails named, not silently dropped.
@Suite struct PortfolioOverviewTests {
    let alice = FakeUser(id: 3101, firstName: "Alice")
    typealias Row = PortfolioCommandsTests

    static func position(_ symbol: String, _ exchange: String, _ quantity: Double, ltp: Double, pnl: Double) -> Position {
        Position(symbol: symbol, exchange: exchange, product: "MIS", quantity: quantity, averagePrice: ltp, ltp: ltp, pnl: pnl)
    }

    static func account(_ name: String, cash: Double, holdings: Double, positions: [Position]) -> PortfolioSummary.Account {
        PortfolioSummary.Account(
            name: name,
            funds: Funds(availableCash: cash, collateral: 0, realizedPnL: 10, unrealizedPnL: -4, usedMargin: 0),
            holdings: Holdings(holdings: [], statistics: .init(value: holdings, invested: holdings, pnl: 0, pnlPercent: 0)),
            positions: positions)
    }

    @Test func accountsAreAddedUpAndExposureIsGroupedBySegment() {
        let summary = PortfolioSummary([
            Self.account("main", cash: 1000, holdings: 9000, positions: [
                Self.position("TCS", "NSE", 10, ltp: 100, pnl: 5),           // equity, notional 1000
                Self.position("NIFTY", "NFO", -75, ltp: 20, pnl: -3),        // F&O, notional 1500
                Self.position("OLD", "NSE", 0, ltp: 50, pnl: 7),             // closed: no exposure, no open P&L
            ]),
            Self.account("second", cash: 0, holdings: 0, positions: [Self.position("GOLD", "MCX", 1, ltp: 6000, pnl: 1)]),
        ], largestCount: 2)
        #expect(summary.cash == 1000 && summary.holdingsValue == 9000 && summary.total == 10_000)
        #expect(summary.openPositionPnL == 3)
        #expect(summary.todayPnL == 12)
        #expect(summary.accountValues.map(\.name) == ["main", "second"] && summary.accountValues.map(\.value) == [10_000, 0])
        #expect(summary.exposureBySegment == [.equity: 10_000, .futuresAndOptions: 1500, .other: 6000])
        #expect(summary.largest.map(\.position.symbol) == ["GOLD", "NIFTY"])
        #expect(PortfolioSummary.share(2500, of: 10_000) == 25 && PortfolioSummary.share(1, of: 0) == nil)
    }

    @Test func twoAccountsInOneViewAndAFailingOneIsNamed() async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\nfunds = 0\nholdings = 0\npositions = 0",
                                           validKeys: [BrokerRig.apiKey, "oa_second_account_key_0000"])
        await rig.link(alice, name: "main")
        await rig.link(alice, key: "oa_second_account_key_0000", name: "second")
        let reply = try #require(await rig.ask("/portfolio", from: alice).first)
        let text = try #require(reply.visibleText)
        // The fake's account, twice.
        #expect(Row.row(text, "Available cash", "\u{20B9}641.32"))
        #expect(Row.row(text, "Holdings value", "\u{20B9}4,36,826.00"))
        #expect(Row.row(text, "Open P&L", "+\u{20B9}662.50"))
        #expect(Row.row(text, "P&L today", "+\u{20B9}65.50"))
        #expect(text.contains(" main\n") && Row.row(text, "  50%", "\u{20B9}2,18,733.66"))
        #expect(text.contains("Exposure by segment") && text.contains(" F&O"))
        #expect(text.contains("Largest open positions\n SBIN NSE\n  in main\n  SHORT 100\n"))
        #expect(Row.preLinesFit(reply.text ?? ""))
        // One account's broker refuses: the other is still shown, and the failed one is named with the reason.
        await rig.broker.inject(.status(403, message: "Invalid openalgo apikey"), for: "holdings")
        let partial = try #require(await rig.ask("/portfolio", from: alice).first?.visibleText)
        #expect(Row.row(partial, "Available cash", "\u{20B9}320.66"))
        #expect(partial.contains("Not counted:") && partial.contains("rejected the API key of account"))
        await rig.close()
    }

    @Test func croreSizedAmountsAndLongNamesStillFitAPhone() {
        let big = Self.account("a_long_account_name1", cash: -2_500_000, holdings: 999_999_999_999, positions: [
            Self.position("NIFTY25DEC2524000CE", "NFO", -7_500_000, ltp: 99_999, pnl: -1_000_000_000),
        ])
        let html = PortfolioOverviewCommand.render(PortfolioSummary([big, Self.account("second", cash: 10, holdings: 0, positions: [])]),
                                                   format: DisplayFormat(currency: "\u{20B9}", timeZone: .system))
        #expect(Row.preLinesFit(html))
        #expect(!HTML.plainText(html).contains("nan") && !HTML.plainText(html).contains("inf"))
    }
}
