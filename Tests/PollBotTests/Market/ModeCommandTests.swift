import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// /mode through the whole bot: any linked user reads it, only admins switch it and only with the whole word; against
/// the fake OpenAlgo's analyzer endpoints and against the paper broker, whose mode survives a restart.
@Suite struct ModeCommandTests {
    let alice = FakeUser(id: 3101, firstName: "Alice")
    let bob = FakeUser(id: 3102, firstName: "Bob")

    func text(_ calls: [SentCall]) -> String { calls.first?.visibleText ?? "" }

    @Test func anyLinkedUserReadsTheModeOfOpenAlgo() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(alice.id)]")
        #expect(text(await rig.ask("/mode", from: bob)).contains("No account is linked"))
        await rig.link(bob)
        #expect(text(await rig.ask("/mode", from: bob)).contains("live mode: orders are real"))
        await rig.broker.setAnalyze(true)
        #expect(text(await rig.ask("/mode", from: bob)).contains("analyze mode (sandbox)"))
        #expect(await rig.broker.calls("analyzer/toggle") == 0)
        await rig.close()
    }

    @Test func onlyAnAdminSwitchesAndOnlyWithTheWholeWord() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(alice.id)]")
        await rig.link(alice)
        await rig.link(bob)
        await rig.broker.setAnalyze(true)
        #expect(text(await rig.ask("/mode live", from: bob)).contains("Only the bot's admins may switch"))
        for attempt in ["/mode l", "/mode liv", "/mode sandbox", "/mode 1", "/mode live now"] {
            let reply = text(await rig.ask(attempt, from: alice))
            #expect(reply.contains("Usage:"), "\(attempt) answered \(reply)")
        }
        #expect(await rig.broker.calls("analyzer/toggle") == 0)
        #expect(text(await rig.ask("/mode", from: bob)).contains("analyze mode"))
        #expect(text(await rig.ask("/mode LIVE", from: alice)).contains("Switched. Now in live mode"))
        #expect(await rig.broker.calls("analyzer/toggle") == 1)
        #expect(text(await rig.ask("/mode", from: bob)).contains("live mode"))
        #expect(text(await rig.ask("/mode analyze", from: alice)).contains("Switched. Now in analyze mode"))
        #expect(text(await rig.ask("/mode", from: alice)).contains("analyze mode"))
        await rig.close()
    }

    @Test func thePaperBrokersModeIsSwitchedAndKeptAcrossARestart() async throws {
        let harness = try await BotHarness.start(extra: "admins = [\(alice.id)]\n[broker]\nkind = \"paper\"")
        func ask(_ message: String, _ user: FakeUser, on harness: BotHarness) async -> String {
            let before = await harness.fake.sent("sendMessage").count
            await harness.fake.sendText(message, from: user)
            return await harness.fake.waitForCalls("sendMessage", count: before + 1).dropFirst(before).first?.visibleText ?? ""
        }
        #expect(await ask("/mode", bob, on: harness).contains("live mode"))
        #expect(await ask("/mode analyze", bob, on: harness).contains("Only the bot's admins"))
        let switched = await ask("/mode analyze", alice, on: harness)
        #expect(switched.contains("Switched. Now in analyze mode") && switched.contains("DEMO"))
        let restarted = try await harness.restarted()
        #expect(await ask("/mode", alice, on: restarted).contains("analyze mode"))
        // Each user has a paper account of their own, so Alice's switch left Bob's live.
        #expect(await ask("/mode", bob, on: restarted).contains("live mode"))
        await restarted.shutdown()
    }
}
