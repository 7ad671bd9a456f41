import BotKit
import Foundation
@testable import PollBot
import Testing

/// /buy and /sell read their arguments strictly: a typo or hostile input is a short usage reply, never an order.
@Suite struct TradeArgumentsTests {
    func parse(_ text: String) throws -> TradeArguments {
        var scanner = ArgumentScanner(text, usage: BuyCommand.usage)
        return try TradeArguments(arguments: &scanner)
    }

    @Test func theDocumentedFormsParse() throws {
        let plain = try parse("10 infy")
        #expect(plain == (try parse("10 INFY")) && plain.price == nil && plain.exchange == nil && plain.product == nil)
        #expect(plain.draft(.buy, exchange: "NSE", lotSize: 1).product == .cnc)
        #expect(plain.draft(.buy, exchange: "NSE", lotSize: 1).priceType == .market)
        let full = try parse("10 INFY BSE @1499.5 MIS")
        #expect(full.exchange == "BSE" && full.price == 1499.5 && full.product == .mis)
        #expect(full.draft(.sell, exchange: "BSE", lotSize: 1).priceType == .limit)
        #expect(try parse("50 NIFTY25DEC24000CE NFO market").draft(.buy, exchange: "NFO", lotSize: 50).product == .nrml)
    }

    @Test(arguments: ["", "10", "0 INFY", "-5 INFY", "1e308 INFY", "100000000000000000000 INFY", "ten INFY", "10 INFY @nan",
                      "10 INFY @inf", "10 INFY @-1", "10 INFY @0", "10 INFY @1e308", "10 INFY XYZ", "10 INFY @10 market",
                      "10 INFY CNC MIS", "10 \(String(repeating: "A", count: 200))", "10 IN;FY", "10 INFY NSE BSE", "10 INFY @1,500",
                      "١٠ INFY", "10 INFY @１５００"])
    func hostileArgumentsGetAUsageReply(_ text: String) {
        #expect(throws: UserError.self) { try parse(text) }
    }

    @Test func plainTextOrdersBecomeTheCommand() {
        #expect(PlainLanguage.read("buy 10 INFY at 1500") == .run("/buy 10 INFY @1500"))
        #expect(PlainLanguage.read("sell 5 TCS NSE market mis") == .run("/sell 5 TCS NSE market MIS"))
        #expect(PlainLanguage.read("Buy 10 INFY @ 1500.25 cnc") == .run("/buy 10 INFY @1500.25 CNC"))
        #expect(PlainLanguage.read("buy 10 INFY XYZ") != .run("/buy 10 INFY XYZ"))
    }
}
