@testable import PollBot
import BotKit
import Foundation
import Testing

/// Expiry dates in every format OpenAlgo writes, and option chains with hostile numbers.
@Suite struct OptionChainDecodingTests {
    @Test(arguments: ["28-NOV-24", "28NOV24", "28-Nov-2024", "2024-11-28", " 28-nov-24 "])
    func everyDateFormatIsTheSameDay(text: String) throws {
        let date = try #require(ExpiryDate(parsing: text))
        #expect(date == ExpiryDate(year: 2024, month: 11, day: 28))
        #expect(date.code == "28NOV24")
        #expect(date.description == "28-NOV-24")
        #expect(MarketCalendar.civil(date.dayNumber) == (2024, 11, 28))
        // 15:30 IST is 10:00 UTC.
        #expect(date.close() == Date(timeIntervalSince1970: 1_732_788_000))
    }

    @Test(arguments: ["31-NOV-24", "29FEB23", "28-XYZ-24", "", "2024-13-01", "28NOV2024", "1e308", "NaN", "28-NOV-", "٢٨-NOV-24", "28/11/2024"])
    func anythingElseIsNoDate(text: String) {
        #expect(ExpiryDate(parsing: text) == nil)
    }

    @Test func aListOfExpiriesWithOneBadDateIsUnreadable() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ExpiryDate].self, from: Data(#"["28-NOV-24","soon"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([ExpiryDate].self, from: Data(#"["28-NOV-24",1e308]"#.utf8)) }
        let dates = try? JSONDecoder().decode([ExpiryDate].self, from: Data(#"["28-NOV-24","05-DEC-24"]"#.utf8))
        #expect(dates?.map(\.code) == ["28NOV24", "05DEC24"])
    }

    static func leg(_ ltp: String, lot: String = "75", symbol: String = "X") -> String {
        #"{"symbol":"\#(symbol)","label":"ATM","ltp":\#(ltp),"bid":"10.5","ask":11,"volume":"100","oi":"7500","lotsize":\#(lot),"tick_size":0.05,"implied_volatility":"15.25","delta":0.5,"gamma":"0.001","theta":-4.2,"vega":12}"#
    }

    static func chain(spot: String = "24250.5", rows: [String]) -> Data {
        Data(#"{"status":"success","underlying":"NIFTY","underlying_exchange":"NSE_INDEX","underlying_ltp":\#(spot),"underlying_prev_close":"24100","expiry_date":"28NOV24","expiry_ts":1732788000,"atm_strike":24250.0,"quotes_included":true,"greeks_included":true,"forward_price":null,"chain":[\#(rows.joined(separator: ","))]}"#.utf8)
    }

    @Test func aStrikeWithAnUnusableNumberIsDroppedAndNamedTheRestStands() throws {
        let rows = [
            #"{"strike":24300.0,"ce":\#(Self.leg("\"12.5\"")),"pe":null}"#,
            #"{"strike":24000.0,"ce":\#(Self.leg("1e308")),"pe":\#(Self.leg("3"))}"#,
            #"{"strike":24100.0,"ce":\#(Self.leg("\"inf\"")),"pe":null}"#,
            #"{"strike":24150.0,"ce":null,"pe":\#(Self.leg("\"nan\""))}"#,
            #"{"strike":24200.0,"ce":\#(Self.leg("-5")),"pe":null}"#,
            #"{"strike":24250.0,"ce":\#(Self.leg("12", lot: "2.5")),"pe":null}"#,
            #"{"strike":24350.0,"ce":\#(Self.leg("\"twelve\"")),"pe":null}"#,
            #"{"strike":"inf","ce":null,"pe":null}"#,
            #"{"strike":24400.0,"ce":\#(Self.leg("0")),"pe":null}"#,
        ]
        let chain = try JSONDecoder().decode(OptionChain.self, from: Self.chain(rows: rows))
        #expect(chain.rows.map(\.strike) == [24300, 24400])
        #expect(chain.skipped.count == 7)
        #expect(chain.skipped.contains("strike 24000: ltp (1e+308)"))
        #expect(chain.skipped.contains("strike 24100: ltp (inf)"))
        #expect(chain.skipped.contains("strike 24150: ltp (nan)"))
        #expect(chain.skipped.contains("strike 24200: ltp (-5.0)"))
        #expect(chain.skipped.contains("strike 24250: lotsize (2.5)"))
        let call = try #require(chain.rows[0].call)
        #expect(call.ltp == 12.5 && call.bid == 10.5 && call.ask == 11 && call.openInterest == 7500 && call.lotSize == 75)
        #expect(call.mid == 10.75)
        #expect(call.greeks == OptionGreeks(impliedVolatility: 15.25, delta: 0.5, gamma: 0.001, theta: -4.2, vega: 12))
        #expect(chain.lotSize == 75)
        #expect(chain.expiry == ExpiryDate(year: 2024, month: 11, day: 28))
        #expect(chain.underlying == Instrument("NIFTY", "NSE_INDEX"))
    }

    @Test(arguments: ["\"inf\"", "1e308", "-1", "\"nan\""])
    func anUnusableSpotFailsTheWholeChain(spot: String) {
        #expect(throws: UnusableValue.self) {
            try JSONDecoder().decode(OptionChain.self, from: Self.chain(spot: spot, rows: [#"{"strike":24300.0,"ce":\#(Self.leg("12"))}"#]))
        }
    }

    @Test func aChainOfZerosSaysItHasNoPrices() throws {
        let zero = #"{"symbol":"X","label":"ATM","ltp":0,"bid":0,"ask":0,"volume":0,"oi":0,"lotsize":75,"tick_size":0.05}"#
        let chain = try JSONDecoder().decode(OptionChain.self, from: Self.chain(rows: [#"{"strike":24250.0,"ce":\#(zero),"pe":\#(zero)}"#]))
        #expect(!chain.hasPrices)
        #expect(chain.rows[0].call?.mid == nil && chain.rows[0].call?.greeks == nil)
        let empty = try JSONDecoder().decode(OptionChain.self, from: Self.chain(rows: []))
        #expect(empty.rows.isEmpty && empty.lotSize == nil && !empty.hasPrices)
    }

    @Test func optionSymbolsDropTheWholeStrikesPoint() throws {
        let expiry = try #require(ExpiryDate(parsing: "25-APR-24"))
        #expect(OptionChain.symbol("vedl", expiry: expiry, strike: 292.5, type: .call) == "VEDL25APR24292.5CE")
        #expect(OptionChain.symbol("NIFTY", expiry: try #require(ExpiryDate(parsing: "28NOV24")), strike: 24000, type: .put) == "NIFTY28NOV2424000PE")
    }
}
