@testable import PollBot
import BotKit
import Foundation
import Testing

/// The paper market: deterministic, market hours only, candles that hold together, daily bars that agree with intraday.
@Suite struct PaperMarketTests {
    let calendar = MarketCalendar.india

    func date(_ text: String) -> Date {
        let style = Date.ISO8601FormatStyle(timeZone: calendar.timeZone)
        return try! style.parse(text)
    }

    @Test func theCalendarKnowsWeekendsHolidaysAndSessionHours() {
        let friday = calendar.day(of: date("2026-11-20T12:00:00Z"))
        #expect(calendar.isTradingDay(friday))
        #expect(!calendar.isTradingDay(friday + 1) && !calendar.isTradingDay(friday + 2))
        #expect(!calendar.isTradingDay(calendar.day(of: date("2026-01-26T06:00:00Z"))))  // Republic Day, a Monday
        #expect(!calendar.isTradingDay(calendar.day(of: date("2026-12-25T06:00:00Z"))))
        #expect(calendar.time(day: friday, minute: 0) == date("2026-11-20T03:45:00Z"))  // 09:15 IST
        #expect(calendar.isOpen(at: date("2026-11-20T09:59:00Z")))  // 15:29 IST
        #expect(!calendar.isOpen(at: date("2026-11-20T10:00:00Z")))  // 15:30 IST
        #expect(calendar.latestSession(at: date("2026-11-22T06:00:00Z")) == friday)  // Sunday: Friday's session
        #expect(MarketCalendar.civil(calendar.day(of: date("2024-02-29T12:00:00Z"))) == (2024, 2, 29))
    }

    @Test func theSameSymbolAndDayAlwaysGiveTheSameBars() throws {
        let now = date("2026-11-20T08:00:00Z")
        let first = try PaperMarket().history(Instrument("RELIANCE", "NSE"), interval: "5m", start: now, end: now, now: now)
        let second = try PaperMarket().history(Instrument("RELIANCE", "NSE"), interval: "5m", start: now, end: now, now: now)
        #expect(first == second)
        let other = try PaperMarket().history(Instrument("TCS", "NSE"), interval: "5m", start: now, end: now, now: now)
        #expect(first.map(\.close) != other.map(\.close))
    }

    @Test func intradayBarsStayInsideTheSessionAndHoldTogether() throws {
        let market = PaperMarket()
        let now = date("2026-11-20T08:00:00Z")  // 13:30 IST: 255 minutes into the session
        let bars = try market.history(Instrument("SBIN", "NSE"), interval: "1m", start: date("2026-11-16T00:00:00Z"), end: now, now: now)
        #expect(bars.count == 4 * 375 + 255)  // Mon-Thu whole, Friday so far
        for bar in bars {
            #expect(bar.low <= min(bar.open, bar.close) && bar.high >= max(bar.open, bar.close) && bar.low > 0)
            let minute = Int(bar.time.timeIntervalSince(calendar.time(day: calendar.day(of: bar.time), minute: 0)) / 60)
            #expect((0..<375).contains(minute))
        }
        #expect(bars.last!.time < now)
        let fiveMinute = try market.history(Instrument("SBIN", "NSE"), interval: "5m", start: date("2026-11-16T00:00:00Z"), end: now, now: now)
        #expect(fiveMinute.count == 4 * 75 + 51)
        let hourly = try market.history(Instrument("SBIN", "NSE"), interval: "1h", start: date("2026-11-16T00:00:00Z"), end: date("2026-11-16T12:00:00Z"), now: now)
        #expect(hourly.count == 7)  // 09:15 ... 15:15, the last one 15 minutes long
    }

    @Test func aDailyBarAgreesWithItsIntradayBarsAndTheQuote() throws {
        let market = PaperMarket()
        let now = date("2026-11-20T08:00:00Z")
        let instrument = Instrument("INFY", "NSE")
        let intraday = try market.history(instrument, interval: "1m", start: now, end: now, now: now)
        let daily = try market.history(instrument, interval: "D", start: date("2026-11-01T00:00:00Z"), end: now, now: now)
        let today = try #require(daily.last)
        #expect(today.open == intraday.first!.open && today.close == intraday.last!.close)
        #expect(today.high == intraday.map(\.high).max()! && today.low == intraday.map(\.low).min()!)
        #expect(today.volume == intraday.reduce(0) { $0 + $1.volume })
        let quote = try market.quote(instrument, at: now)
        #expect(quote.ltp == today.close && quote.high == today.high && quote.previousClose == daily[daily.count - 2].close)
        #expect(daily.count == 15)  // trading days of 1-20 November 2026
    }

    @Test func indicesHaveNoVolumeAndUnknownSymbolsSayWhatExists() throws {
        let market = PaperMarket()
        let now = date("2026-11-20T08:00:00Z")
        #expect(try market.quote(Instrument("NIFTY", "NSE_INDEX"), at: now).volume == 0)
        #expect(throws: BrokerError.self) { try market.quote(Instrument("NOPE", "NSE"), at: now) }
        do {
            _ = try market.quote(Instrument("NOPE", "NSE"), at: now)
        } catch let BrokerError.invalidRequest(message) {
            #expect(message.contains("NOPE is not listed on NSE in the paper market; it lists "))
        }
        #expect(throws: BrokerError.self) { try market.history(Instrument("TCS", "NSE"), interval: "7m", start: now, end: now, now: now) }
    }

    @Test func theSimulatedAccountAddsUp() async throws {
        let now = date("2026-11-20T08:00:00Z")
        let broker = await PaperExchange(now: { now }).broker(for: 42)
        let positions = try await broker.positions()
        #expect(positions.filter(\.isOpen).count == 2)  // RELIANCE long, SBIN short; TCS closed
        let closed = try #require(positions.first { !$0.isOpen })
        #expect(closed.symbol == "TCS" && closed.pnl != 0)
        let funds = try await broker.funds()
        #expect(abs(funds.realizedPnL + funds.unrealizedPnL - positions.reduce(0) { $0 + $1.pnl }) < 0.001)
        let orders = try await broker.orderBook().orders
        #expect(Set(orders.map(\.status)) == ["complete", "open", "rejected", "cancelled"])
        #expect(try await broker.tradeBook().count == orders.filter { $0.status == "complete" }.count)
        let holdings = try await broker.holdings()
        #expect(abs(holdings.statistics.pnl - holdings.holdings.reduce(0) { $0 + $1.pnl }) < 0.001)
        #expect(broker.isDemo)
    }
}
