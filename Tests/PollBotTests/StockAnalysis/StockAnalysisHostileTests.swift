import BotKit
@testable import PollBot
import Foundation
@testable import TestSupport
import Testing

/// /analyze against a hostile user and a hostile broker: answers that must never reach an order draft or trap.
@Suite(.serialized) struct StockAnalysisHostileTests {
    let alice = FakeUser(id: 5201, firstName: "Alice")

    func open(_ rig: BrokerRig) async throws -> ConversationRecord? {
        try await TraderApp.openStore(path: rig.harness.config.storage.path).conversation(chatID: alice.id, userID: alice.id)
    }

    /// The fake's chain for its first expiry as JSON, after `edit`.
    static func chainReply(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var chain = FakeOpenAlgoOptions.chain(expiryCode: FakeOpenAlgoOptions.expiries[0].replacingOccurrences(of: "-", with: ""), strikeCount: nil, withGreeks: true, quotesFail: false)
        edit(&chain)
        return String(decoding: try JSONSerialization.data(withJSONObject: chain), as: UTF8.self)
    }

    /// The broker answers the RELIANCE request with TCS's chain (or with TCS contracts under RELIANCE's name): selling
    /// a TCS put would be a trade nobody chose.
    @Test(arguments: [true, false]) func aChainOfAnotherUnderlyingIsNeverAnalysedNorDrafted(renamed: Bool) async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        await rig.broker.setReply("optionchain", body: try Self.chainReply { chain in
            if renamed {
                chain["underlying"] = "TCS"
                chain["underlying_symbol"] = "TCS"
            }
            chain["chain"] = (chain["chain"] as! [[String: Any]]).map { row in
                var row = row
                for side in ["ce", "pe"] {
                    guard var leg = row[side] as? [String: Any] else { continue }
                    leg["symbol"] = (leg["symbol"] as! String).replacingOccurrences(of: "RELIANCE", with: "TCS")
                    row[side] = leg
                }
                return row
            }
        })
        let text = try #require(await rig.ask("/analyze RELIANCE csp", from: alice).first?.visibleText)
        #expect(text.contains("No option chain"))
        #expect(!text.contains("Sell put"))
        #expect(try await open(rig)?.data["draft"] == nil)
        await rig.close()
    }

    @Test func aChainOfAnExpiryNotAskedForIsNeverDrafted() async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        // Asked for the first expiry, the broker sends a chain that expired two years ago: its options cannot be sold.
        await rig.broker.setReply("optionchain", body: try Self.chainReply { chain in
            chain["expiry_date"] = "26DEC24"
            chain["expiry_ts"] = 1_735_207_200
        })
        let text = try #require(await rig.ask("/analyze RELIANCE csp", from: alice).first?.visibleText)
        #expect(text.contains("No option chain"))
        #expect(try await open(rig)?.data["draft"] == nil)
        await rig.close()
    }

    @Test func aDerivativesExchangeIsNotAnUnderlying() async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        _ = await rig.ask("/analyze", from: alice)
        // RELIANCE on NFO is no stock: its "options" would be looked up on NFO's NFO.
        let reply = try #require(await rig.ask("RELIANCE NFO", from: alice).first?.visibleText)
        #expect(reply.contains("NSE or BSE"))
        #expect(try await open(rig)?.state == "ticker")
        #expect(await rig.ask("/analyze RELIANCE NFO csp", from: alice).first?.visibleText?.contains("NSE or BSE") == true)
        #expect(try await open(rig)?.state == "ticker")
        await rig.close()
    }

    @Test func aTenThousandCharacterTickerGetsOneShortReplyAndTheQuestionStays() async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        _ = await rig.ask("/analyze", from: alice)
        let replies = await rig.ask(String(repeating: "Z", count: 10_000), from: alice)
        let reply = try #require(replies.first?.visibleText)
        #expect(reply.count < 300)
        try await Task.sleep(for: .milliseconds(300))
        #expect(await rig.fake.sent("sendMessage").count == replies.count + 2)
        #expect(try await open(rig)?.state == "ticker")
        await rig.close()
    }

    @Test func anAPIKeyTypedAsTheTickerIsCaughtBeforeTheConversationSeesIt() async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        _ = await rig.ask("/analyze", from: alice)
        let quotes = await rig.broker.calls("quotes")
        let before = try #require(try await open(rig))
        let key = String(repeating: "a1b2c3d4", count: 8)
        let reply = try #require(await rig.ask(key, from: alice).first?.visibleText)
        #expect(reply.contains("API key") && !reply.contains(key))
        #expect(await rig.broker.calls("quotes") == quotes)
        let after = try #require(try await open(rig))
        #expect(after.state == "ticker" && after.data == before.data && !after.data.values.contains { $0.contains(key) })
        await rig.close()
    }

    @Test func inAGroupAnalyzeWithoutATickerAsksForItInTheCommand() async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        let group: Int64 = -100_520
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.sendText("/analyze", from: alice, chatID: group)
        let reply = try #require(await rig.fake.waitForCalls("sendMessage", count: before + 1).last?.visibleText)
        // Typed answers are not read in groups, so a "Which ticker?" there could never be answered.
        #expect(reply.contains("/analyze RELIANCE"))
        #expect(try await TraderApp.openStore(path: rig.harness.config.storage.path).conversation(chatID: group, userID: alice.id) == nil)
        await rig.close()
    }
}
