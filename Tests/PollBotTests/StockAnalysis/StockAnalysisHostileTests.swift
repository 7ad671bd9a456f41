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
        var chain = FakeOpenAlgoOptions.chain(expiryCode: "29DEC26", strikeCount: nil, withGreeks: true, quotesFail: false)
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
        // Asked for 29DEC26, the broker sends a chain that expired two years ago: its options cannot be sold.
        await rig.broker.setReply("optionchain", body: try Self.chainReply { chain in
            chain["expiry_date"] = "26DEC24"
            chain["expiry_ts"] = 1_735_207_200
        })
        let text = try #require(await rig.ask("/analyze RELIANCE csp", from: alice).first?.visibleText)
        #expect(text.contains("No option chain"))
        #expect(try await open(rig)?.data["draft"] == nil)
        await rig.close()
    }
}
