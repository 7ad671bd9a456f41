import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The replayed Confirm press as an unlucky kill would have it: a verdict that only its press's own check told.
@Suite struct OrderReplayHostileTests {
    @Test func aPlacementFoundByItsPressesOwnCheckIsToldAgainByItsReplay() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        // Recorded by the fake, then no answer within the client's 3 s: the press's own check finds the order, claims it
        // and only then tells its id. A kill between that claim and the message lost it: the replay is all that is left.
        await rig.fake.injectOrderFault(.acceptThenStall(.seconds(6)))
        let first = try await rig.press(id, as: "cq-f")
        #expect(first.sent)
        let intent = try #require(try await rig.intents().first)
        let orderID = try #require(intent.brokerOrderID)
        #expect(intent.state == .placed)
        let requests = await rig.fake.requests.count
        let replay = try await rig.press(id, as: "cq-f")
        #expect(!replay.sent && replay.html?.contains("<b>Placed</b>: order <code>\(orderID)</code>") == true, "\(replay)")
        #expect(replay.html?.contains("Nothing was sent again") == true)
        // A double tap is another press: only the toast, as before.
        let tap = try await rig.press(id, as: "cq-other")
        #expect(tap.html == nil && tap.toast == "Already confirmed (placed); no second order was sent.")
        #expect(await rig.fake.calls("placeorder") == 1)
        #expect(await rig.fake.requests.count == requests, "the replay reached OpenAlgo")
        await rig.close()
    }
}
