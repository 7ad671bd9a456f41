import BotKit
@testable import PollBot
import Foundation
import Testing

@Suite struct DisplayFormatTests {
    @Test func rupeesGroupTheIndianWayOthersByThousands() {
        let rupees = DisplayFormat(currency: "\u{20B9}")
        #expect(rupees.money(12_345_678.5) == "\u{20B9}1,23,45,678.50")
        #expect(rupees.money(-999.999) == "-\u{20B9}1,000.00")
        #expect(rupees.signedMoney(0) == "+\u{20B9}0.00")
        #expect(rupees.quantity(-1_500_000) == "-15,00,000")
        #expect(rupees.quantity(0.5) == "0.50")
        let dollars = DisplayFormat(currency: "$")
        #expect(dollars.money(12_345_678.5) == "$12,345,678.50")
        #expect(dollars.percent(-0.004) == "-0.00%")
        #expect(dollars.signed(17.75) == "+17.75")
    }

    @Test func timesAreInTheConfiguredZone() {
        let format = DisplayFormat(timeZone: ZoneRules.named("Asia/Kolkata")!)
        let date = Date(timeIntervalSince1970: 1_763_600_000)  // 2025-11-20 00:53:20 UTC
        #expect(format.clock(date) == "06:23:20")
        #expect(format.shortClock(date) == "06:23")
    }

    @Test func tableRowsAlignWithinThePhoneWidth() {
        var table = TextTable()
        table.row("Available cash", "\u{20B9}3,20,000.66")
        table.row("A label far too long for one line", "\u{20B9}1.00")
        let lines = HTML.plainText(table.html).split(separator: "\n")
        #expect(lines[0].count == TextTable.width && lines[0].hasSuffix("\u{20B9}3,20,000.66"))
        // Too long for one phone line: the value goes flush right on the next, so nothing wraps on the phone.
        #expect(lines[1] == "A label far too long for one line")
        #expect(lines[2].count == TextTable.width && lines[2].hasSuffix(" \u{20B9}1.00"))
        #expect(lines.allSatisfy { $0.count <= TextTable.width })
        #expect(table.html.hasPrefix("<pre>") && table.html.hasSuffix("</pre>\n"))
    }
}
