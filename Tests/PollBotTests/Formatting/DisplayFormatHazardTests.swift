import BotKit
@testable import PollBot
import Foundation
import Testing

/// Values no reply should show as they are: each prints as a plain figure or "n/a", and nothing traps.
@Suite struct DisplayFormatHazardTests {
    @Test func unshowableValuesPrintAsNotAvailableAndNeverTrap() {
        let format = DisplayFormat(currency: "\u{20B9}")
        for value in [Double.infinity, -.infinity, .nan, 1e300, -1.75e308, 1e15, Double(Int64.max), -Double(Int64.max)] {
            #expect(format.quantity(value) == "n/a", "quantity(\(value))")
            #expect(format.number(value) == "n/a" && format.signed(value) == "n/a" && format.percent(value) == "n/a")
            #expect(format.money(value) == "n/a" && format.signedMoney(value) == "n/a")
        }
        #expect(format.quantity(999_999_999_999_999) == "99,99,99,99,99,99,999")
    }

    @Test func negativeZeroIsZero() {
        let format = DisplayFormat(currency: "\u{20B9}")
        #expect(format.quantity(-0.0) == "0")
        #expect(format.number(-0.0) == "0.00" && format.money(-0.0) == "\u{20B9}0.00")
        #expect(format.signed(-0.0) == "+0.00" && format.signedMoney(-0.0) == "+\u{20B9}0.00" && format.percent(-0.0) == "+0.00%")
    }
}
