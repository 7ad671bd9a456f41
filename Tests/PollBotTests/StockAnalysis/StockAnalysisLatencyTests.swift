import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// The target: the analysis reply within 1.5 s on the fake (the computation alone is `pollbot-bench analysis`).
@Suite(.serialized) struct StockAnalysisLatencyTests {
    let alice = FakeUser(id: 5401, firstName: "Alice")

    @Test func theWholeAnalysisReplyArrivesWithinOneAndAHalfSecondsOnTheFake() async throws {
        let rig = try await StockAnalysisFlowTests.rig()
        await rig.link(alice)
        // A warm-up run, so that the first chart's font loading is not what is timed.
        _ = await rig.ask("/analyze RELIANCE csp", from: alice)
        for strategy in OptionStrategy.allCases {
            let clock = ContinuousClock(), start = clock.now
            let reply = try #require(await rig.ask("/analyze RELIANCE \(strategy.rawValue)", from: alice).first?.visibleText)
            let elapsed = clock.now - start
            #expect(reply.contains("RELIANCE · \(strategy.title)") && reply.contains("Risks"))
            #expect(elapsed < .milliseconds(1500), "\(strategy.rawValue) took \(elapsed)")
        }
        await rig.close()
    }
}
