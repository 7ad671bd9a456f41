@testable import PollBot
import BotKit
import Foundation
import Testing

/// The paper market's synthetic options: listed where they should be, priced without arbitrage, the same every time.
@Suite struct PaperOptionsTests {
    let now = try! Date.ISO8601FormatStyle().parse("2026-11-20T08:00:00Z")  // a Friday, 13:30 IST

    func broker(at now: Date) async -> PaperBroker { await PaperExchange(now: { now }).broker(for: 1) }

    @Test func monthlyExpiriesAreTheLastTuesdayLastThursdayBeforeSeptember2025() async throws {
        let dates = try await broker(at: now).expiries(Instrument("RELIANCE", "NSE"))
        #expect(dates.map(\.description) == ["24-NOV-26", "29-DEC-26", "25-JAN-27"])  // 26 January is Republic Day
        let calendar = MarketCalendar.india
        #expect(PaperOptions.monthlyExpiry(year: 2025, month: 7, calendar: calendar)?.description == "31-JUL-25")  // a Thursday
        #expect(PaperOptions.monthlyExpiry(year: 2025, month: 9, calendar: calendar)?.description == "30-SEP-25")  // a Tuesday
        // After the close on expiry day the month's contract is gone.
        let afterClose = try Date.ISO8601FormatStyle().parse("2026-11-24T10:01:00Z")
        #expect(try await broker(at: afterClose).expiries(Instrument("RELIANCE", "NSE")).first?.description == "29-DEC-26")
    }

    @Test func indicesBSEListingsAndUnknownSymbolsHaveNoOptions() async throws {
        let broker = await broker(at: now)
        for instrument in [Instrument("NIFTY", "NSE_INDEX"), Instrument("RELIANCE", "BSE"), Instrument("NOSUCH", "NSE")] {
            #expect(try await broker.expiries(instrument).isEmpty)
            await #expect(throws: BrokerError.self) {
                _ = try await broker.optionChain(instrument, expiry: ExpiryDate(year: 2026, month: 11, day: 24)!, strikeCount: nil, interestRate: 6.5)
            }
        }
        await #expect(throws: BrokerError.self) {  // a date that is no listed expiry
            _ = try await broker.optionChain(Instrument("RELIANCE", "NSE"), expiry: ExpiryDate(year: 2026, month: 11, day: 27)!, strikeCount: nil, interestRate: 6.5)
        }
    }

    @Test(arguments: ["RELIANCE", "WIPRO", "MARUTI", "ONGC"])
    func theChainIsArbitrageSane(symbol: String) async throws {
        let broker = await broker(at: now)
        let instrument = Instrument(symbol, "NSE")
        let expiry = try #require(try await broker.expiries(instrument).dropFirst().first)
        let chain = try await broker.optionChain(instrument, expiry: expiry, strikeCount: nil, interestRate: 6.5)
        #expect(chain.rows.count == 41 && chain.hasPrices && chain.greeksIncluded)
        let quote = try await broker.quote(instrument)
        #expect(chain.spot == quote.ltp)
        #expect(chain.rows.allSatisfy { abs($0.strike - chain.spot) >= abs(chain.atmStrike - chain.spot) - 1e-9 })
        let years = expiry.close().timeIntervalSince(now) / (365 * 86_400)
        for (lower, higher) in zip(chain.rows, chain.rows.dropFirst()) {
            let (lowCall, highCall) = (try #require(lower.call), try #require(higher.call))
            let (lowPut, highPut) = (try #require(lower.put), try #require(higher.put))
            #expect(lowCall.ltp >= highCall.ltp, "calls fall as the strike rises: \(lower.strike)")
            #expect(lowPut.ltp <= highPut.ltp, "puts rise with the strike: \(lower.strike)")
            #expect(lowCall.greeks!.delta >= highCall.greeks!.delta)
        }
        for row in chain.rows {
            for leg in [row.call!, row.put!] {
                #expect(leg.bid <= leg.ltp && leg.ltp <= leg.ask && leg.ltp >= 0.05, "\(leg.symbol)")
                if let mid = leg.mid { #expect(leg.bid <= mid && mid <= leg.ask) }
                #expect(leg.lotSize == chain.lotSize && leg.lotSize % 25 == 0)
                #expect(leg.symbol.hasPrefix(symbol + expiry.code))
            }
            // Put-call parity, C - P = S - K e^(-rt), within the two half-spreads and the ticks.
            let (call, put) = (row.call!, row.put!)
            let parity = chain.spot - row.strike * exp(-PaperOptions.rate * years)
            let slack = (call.ask - call.bid + put.ask - put.bid) / 2 + 0.1
            if call.ltp > 0.05, put.ltp > 0.05 {
                #expect(abs((call.ltp - put.ltp) - parity) <= slack, "parity at \(row.strike)")
            }
        }
        let atm = try #require(chain.row(at: chain.atmStrike))
        #expect(atm.call?.label == "ATM" && atm.put?.label == "ATM")
        let below = try #require(chain.rows.last { $0.strike < chain.atmStrike })
        #expect(below.call?.label == "ITM1" && below.put?.label == "OTM1")
        // A put further below is dearer in volatility: the skew.
        #expect(chain.rows[0].put!.greeks!.impliedVolatility > atm.put!.greeks!.impliedVolatility)
    }

    @Test func theSameSymbolAndMomentGiveTheSameChain() async throws {
        let instrument = Instrument("INFY", "NSE")
        let expiry = try #require(try await broker(at: now).expiries(instrument).first)
        let first = try await broker(at: now).optionChain(instrument, expiry: expiry, strikeCount: 5, interestRate: 6.5)
        let second = try await PaperExchange(market: PaperMarket(), now: { now }).broker(for: 9)
            .optionChain(instrument, expiry: expiry, strikeCount: 5, interestRate: 6.5)
        #expect(first == second && first.rows.count == 11)
        let other = try await broker(at: now).optionChain(Instrument("TCS", "NSE"), expiry: expiry, strikeCount: 5, interestRate: 6.5)
        #expect(other.rows.map(\.strike) != first.rows.map(\.strike))
    }

    @Test(arguments: [0, -5, Int.min, Int.max])
    func aHostileStrikeCountNeverTraps(count: Int) async throws {
        let broker = await broker(at: now)
        let expiry = try #require(try await broker.expiries(Instrument("SBIN", "NSE")).first)
        let chain = try await broker.optionChain(Instrument("SBIN", "NSE"), expiry: expiry, strikeCount: count, interestRate: .nan)
        #expect((3...41).contains(chain.rows.count))
    }

    @Test func aContractOfThePaperChainIsQuotedAndTradedAtItsPrice() async throws {
        let now = try Date.ISO8601FormatStyle().parse("2026-11-24T06:00:00Z")
        let broker = await broker(at: now)
        let infy = Instrument("INFY", "NSE")
        let expiry = try #require(try await broker.expiries(infy).first)
        let chain = try await broker.optionChain(infy, expiry: expiry, strikeCount: 5, interestRate: 6.5)
        let row = try #require(chain.rows.first { ($0.put?.ltp ?? 0) > 0 })
        let put = try #require(row.put)
        let quote = try await broker.quote(Instrument(put.symbol, "NFO"))
        #expect(quote.ltp == put.ltp && quote.bid == put.bid && quote.ask == put.ask)
        // A strike the chain does not list, and a symbol that is no contract, are refused like unknown symbols.
        await #expect(throws: BrokerError.self) { _ = try await broker.quote(Instrument("INFY\(expiry.code)3051PE", "NFO")) }
        await #expect(throws: BrokerError.self) { _ = try await broker.quote(Instrument("INFY", "NFO")) }
        // Selling one lot fills at the contract's price and shows as a short option position.
        let placement = try await broker.placeOrder(OrderRequest(OrderDraft(symbol: put.symbol, exchange: "NFO", action: .sell,
                                                                            quantity: put.lotSize, lotSize: put.lotSize, priceType: .market,
                                                                            product: .nrml, origin: "test"), strategy: "test"))
        guard case .placed = placement.outcome else { Issue.record("not placed: \(placement)"); return }
        let position = try #require(try await broker.positions().first { $0.symbol == put.symbol })
        #expect(position.quantity == -Double(put.lotSize) && position.averagePrice == put.ltp)
    }
}
