import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// Every numeric field of every account read, poisoned one at a time through the fake OpenAlgo and asked for through the
/// whole bot: each answer is a reply (the bot does not trap) that carries no "inf", "nan", exponent or digit avalanche.
@Suite struct HostileNumberTests {
    let alice = FakeUser(id: 3101, firstName: "Alice")

    /// What a poisoned field holds, as raw JSON, and what the bot should make of it.
    enum Verdict { case usable, unusable, unreadable }
    static let tokens: [(json: String, verdict: Verdict)] = [
        ("inf", .unreadable), ("\"inf\"", .unusable), ("nan", .unreadable), ("\"nan\"", .unusable), ("\"-Infinity\"", .unusable),
        ("1e300", .unusable), ("1.75e308", .unusable), ("-1e15", .unusable), ("-0.0", .usable), ("\"\"", .usable),
    ]

    /// One read: the command that shows it, the endpoint it calls, its numeric fields, and its answer with one field poisoned.
    struct Read: Sendable, CustomTestStringConvertible {
        var command: String
        var endpoint: String
        var fields: [String]
        /// What the reply names as the item the bad field belongs to, by field.
        var item: @Sendable (_ field: String) -> String
        var body: @Sendable (_ field: String) -> String
        var testDescription: String { command }
    }

    static let placeholder = "__POISON__"

    /// `object` as JSON text with the placeholder string ready to be replaced by a raw token.
    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func success(_ data: Any) -> String { json(["status": "success", "data": data]) }

    static func poisoned(_ object: [String: Any], _ field: String) -> [String: Any] {
        var object = object
        object[field] = placeholder
        return object
    }

    static let reads: [Read] = [
        Read(command: "/funds", endpoint: "funds", fields: ["availablecash", "collateral", "m2mrealized", "m2munrealized", "utiliseddebits"],
             item: { _ in "the funds" }) { success(poisoned(FakeOpenAlgoData.funds, $0)) },
        Read(command: "/positions", endpoint: "positionbook", fields: ["quantity", "average_price", "ltp", "pnl"], item: { _ in "RELIANCE NSE" }) { field in
            success([poisoned(FakeOpenAlgoData.positions[0], field)] + FakeOpenAlgoData.positions.dropFirst())
        },
        Read(command: "/holdings", endpoint: "holdings",
             fields: ["quantity", "pnl", "pnlpercent", "totalholdingvalue", "totalinvvalue", "totalprofitandloss", "totalpnlpercentage"],
             item: { $0.hasPrefix("total") ? "the holdings' totals" : "INFY NSE" }) { field in
            var holdings = FakeOpenAlgoData.holdings
            if field.hasPrefix("total") {
                holdings["statistics"] = poisoned(holdings["statistics"] as! [String: Any], field)
            } else {
                let list = holdings["holdings"] as! [[String: Any]]
                holdings["holdings"] = [poisoned(list[0], field)] + list.dropFirst()
            }
            return success(holdings)
        },
        // Three orders and three trades keep each reply to one message.
        Read(command: "/orderbook", endpoint: "orderbook", fields: ["quantity", "price", "trigger_price"], item: { _ in "an order for RELIANCE NSE" }) { field in
            success(["orders": [poisoned(FakeOpenAlgoData.orders[0], field)] + FakeOpenAlgoData.orders[1..<3]])
        },
        Read(command: "/tradebook", endpoint: "tradebook", fields: ["quantity", "average_price", "trade_value"], item: { _ in "a trade in RELIANCE NSE" }) { field in
            success([poisoned(FakeOpenAlgoData.trades[0], field)] + FakeOpenAlgoData.trades[1..<3])
        },
        Read(command: "/quote RELIANCE", endpoint: "quotes", fields: ["ltp", "open", "high", "low", "prev_close", "volume", "bid", "ask"],
             item: { _ in "RELIANCE NSE" }) { success(poisoned(FakeOpenAlgoData.quotes["RELIANCE"]!, $0)) },
    ]

    /// True when `text` shows a number no trader could use: inf, nan, an exponent, a run of digits, or minus zero.
    static func hasGarbage(_ reply: String) -> Bool {
        let text = reply.replacing(/\(error [0-9a-f]{6}\)/, with: "")  // a hex id such as 3e4a1f is no exponent
        return text.contains(/(?i)\b(inf|infinity|nan)\b/) || text.contains(/\d[eE][+-]?\d/) || text.contains(/[0-9,]{22,}/)
            || text.contains(/-(\u{20B9})?0\.00(?!\d)/)
    }

    @Test(arguments: reads)
    func everyFieldOfEveryReadAnswersWithoutGarbage(read: Read) async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\nquotes = 0\npositions = 0\norders = 0\ntrades = 0\nfunds = 0\nholdings = 0")
        await rig.link(alice)
        for field in read.fields {
            for (token, verdict) in Self.tokens {
                let body = read.body(field).replacingOccurrences(of: "\"\(Self.placeholder)\"", with: token)
                await rig.broker.setReply(read.endpoint, body: body)
                let reply = await rig.ask(read.command, from: alice).first?.visibleText
                let context = "\(read.command) with \(field) = \(token)"
                let text = try #require(reply, "no reply to \(context)")
                #expect(!Self.hasGarbage(text), "\(context): \(text)")
                switch verdict {
                case .usable:
                    #expect(!text.contains("(error "), "\(context): \(text)")
                case .unusable:
                    #expect(text.contains("sent an unusable value for \(field)"), "\(context): \(text)")
                    #expect(text.contains(read.item(field)), "\(context): \(text)")
                    #expect(text.contains(/\(error [0-9a-f]{6}\)/), "\(context): \(text)")
                case .unreadable:
                    #expect(text.contains("sent an answer I cannot read") && text.contains("(error "), "\(context): \(text)")
                }
            }
        }
        await rig.close()
    }

    @Test func aPoisonedQuoteInMultiquotesCostsOnlyItsOwnLine() async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\nquotes = 0")
        await rig.link(alice)
        for field in ["ltp", "open", "high", "low", "prev_close", "volume", "bid", "ask"] {
            for (token, verdict) in Self.tokens {
                let results: [[String: Any]] = [
                    ["symbol": "RELIANCE", "exchange": "NSE", "data": Self.poisoned(FakeOpenAlgoData.quotes["RELIANCE"]!, field)],
                    ["symbol": "TCS", "exchange": "NSE", "data": FakeOpenAlgoData.quotes["TCS"]!],
                ]
                let body = Self.json(["status": "success", "results": results]).replacingOccurrences(of: "\"\(Self.placeholder)\"", with: token)
                await rig.broker.setReply("multiquotes", body: body)
                let context = "multiquotes with \(field) = \(token)"
                let text = try #require(await rig.ask("/quote RELIANCE TCS", from: alice).first?.visibleText, "no reply to \(context)")
                #expect(!Self.hasGarbage(text), "\(context): \(text)")
                switch verdict {
                case .usable:
                    #expect(PortfolioCommandsTests.row(text, "TCS NSE", "3,461.20 +0.32%") && !text.contains("no quote"), "\(context): \(text)")
                case .unusable:
                    #expect(PortfolioCommandsTests.row(text, "TCS NSE", "3,461.20 +0.32%"), "\(context): \(text)")
                    #expect(PortfolioCommandsTests.row(text, "RELIANCE NSE", "no quote") && text.contains(" broker sent unusable \(field)"),
                            "\(context): \(text)")
                case .unreadable:
                    #expect(text.contains("sent an answer I cannot read"), "\(context): \(text)")
                }
            }
        }
        await rig.close()
    }

    @Test func anOrderIDThatIsNoWholeNumberIsRefusedNotMadeUp() async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\norders = 0")
        await rig.link(alice)
        for (token, refused) in [("1e300", true), ("2.5", true), ("250408000981001", false), ("-0.0", false)] {
            let body = Self.success(["orders": [Self.poisoned(FakeOpenAlgoData.orders[0], "orderid")]])
                .replacingOccurrences(of: "\"\(Self.placeholder)\"", with: token)
            await rig.broker.setReply("orderbook", body: body)
            let text = try #require(await rig.ask("/orderbook", from: alice).first?.visibleText)
            #expect(text.contains("sent an unusable value for orderid of an order for RELIANCE NSE") == refused, "orderid \(token): \(text)")
            #expect(!Self.hasGarbage(text), "orderid \(token): \(text)")
        }
        await rig.close()
    }

    @Test func unusableAnswersDoNotOpenTheBreakerForEveryone() async throws {
        let rig = try await BrokerRig.make(sections: "[cache]\nfunds = 0")
        await rig.link(alice)
        await rig.broker.setReply("funds", body: Self.success(Self.poisoned(FakeOpenAlgoData.funds, "collateral")).replacingOccurrences(
            of: "\"\(Self.placeholder)\"", with: "1e300"))
        for _ in 0..<8 { await rig.ask("/funds", from: alice) }
        await rig.broker.setReply("funds", body: nil)
        let text = try #require(await rig.ask("/funds", from: alice).first?.visibleText)
        #expect(PortfolioCommandsTests.row(text, "Available cash", "\u{20B9}320.66"), "\(text)")
        await rig.close()
    }
}
