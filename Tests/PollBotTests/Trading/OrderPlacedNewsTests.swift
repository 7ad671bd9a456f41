import BotKit
import Foundation
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// A placed order's id goes out before the intent is recorded as placed: the other way round, a kill between the two
/// commits left the intent settled and its user never told, since the replayed press only gets "already confirmed" (one
/// confirm of the full chaos soak). Told first, a kill there leaves the intent open and the startup check tells it again.
@Suite struct OrderPlacedNewsTests {
    @Test func theOrderIdIsToldWhileTheIntentIsStillOpen() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        let store = rig.store
        let told = Mutex<[(text: String, states: [OrderIntent.State])]>([])
        let result = try await rig.desk.confirm(id, userID: OrderDeskFixture.user, receivedAt: rig.clock.now.addingTimeInterval(1),
                                                logger: rig.logger) { html in
            let states = ((try? await store.allIntents()) ?? []).map(\.state)
            told.withLock { $0.append((html, states)) }
        }
        let news = try #require(told.withLock { $0 }.first { $0.text.contains("<b>Placed</b>") })
        #expect(news.states == [.sending], "told before the claim: \(news.states)")
        let intent = try #require(try await rig.intents().first)
        #expect(intent.state == .placed && news.text.contains(intent.brokerOrderID ?? "-"))
        // The reply carries the status, not the news a second time.
        #expect(result.html?.contains("<b>Placed</b>") == false && result.html?.contains(intent.brokerOrderID ?? "-") == true)
        #expect(await rig.fake.calls("placeorder") == 1)
        await rig.close()
    }
}
