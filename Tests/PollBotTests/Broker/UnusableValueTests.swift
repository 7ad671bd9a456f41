@testable import PollBot
import BotKit
import Foundation
import Testing

/// The decoder's checks on their own, and the calendar's arithmetic on dates no decoder would pass.
@Suite struct UnusableValueTests {
    func position(_ quantity: String) throws -> Position {
        try JSONDecoder().decode(Position.self, from: Data(#"{"symbol":"SBIN","exchange":"NSE","quantity":\#(quantity),"ltp":"1"}"#.utf8))
    }

    @Test func absurdNumbersAreRefusedNamingTheFieldAndItem() throws {
        for token in ["\"inf\"", "\"nan\"", "\"Infinity\"", "\"-inf\"", "1e300", "1.75e308", "1e15", "-1e15", "\"1e16\""] {
            #expect("\(token)") { try position(token) } throws: { error in
                (error as? UnusableValue)?.subject == "quantity of SBIN NSE"
            }
        }
        #expect(try position("999999999999999").quantity == 999_999_999_999_999)
        #expect(try position("\"\"").quantity == 0 && position("\" \"").quantity == 0)
        let negativeZero = try position("-0.0").quantity
        #expect(negativeZero == 0 && negativeZero.sign == .plus)
        #expect(throws: DecodingError.self) { try position("\"12 lots\"") }
        // A number of the wrong JSON type is not silently 0 (a position would read as closed); null is "none", as missing is.
        for token in ["true", "false", "{\"a\":1}", "[1e300]", "[]"] {
            #expect("\(token)") { try position(token) } throws: { $0 is DecodingError }
        }
        #expect(try position("null").quantity == 0)
    }

    @Test func candleTimesMustFallBetween1990And2100() throws {
        func candle(_ timestamp: String) throws -> Candle {
            try JSONDecoder().decode(Candle.self, from: Data(#"{"timestamp":\#(timestamp),"open":1,"high":2,"low":1,"close":2,"volume":5}"#.utf8))
        }
        #expect(try candle("1700000000").time == Date(timeIntervalSince1970: 1_700_000_000))
        for bad in ["1e300", "0", "\"\"", "-1", "4102444800", "\"nan\""] {
            #expect(throws: UnusableValue.self, "\(bad)") { try candle(bad) }
        }
    }

    @Test func calendarArithmeticClampsInsteadOfTrapping() {
        let calendar = MarketCalendar.india
        #expect(calendar.day(of: Date(timeIntervalSince1970: 1e300)) == MarketCalendar.dayLimit)
        #expect(calendar.day(of: Date(timeIntervalSince1970: -.infinity)) == -MarketCalendar.dayLimit)
        #expect(calendar.day(of: Date(timeIntervalSince1970: .nan)) == 0)
        let today = calendar.day(of: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(calendar.elapsedMinutes(of: today, at: Date(timeIntervalSince1970: 1e300)) == calendar.sessionMinutes)
        #expect(calendar.elapsedMinutes(of: today, at: Date(timeIntervalSince1970: -1e300)) == 0)
        _ = calendar.time(day: calendar.day(of: Date(timeIntervalSince1970: 1e300)), minute: 0)
    }
}
