import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// /mode through the whole bot: any linked user reads it, whoever the trading gate allows switches it (admins always) and
/// only with the whole word, live only after a Confirm; against the fake OpenAlgo's analyzer endpoints and against the
/// paper broker, whose mode survives a restart.
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

    /// Presses the Confirm under `preview` as `user` and returns the next message's text.
    func confirm(_ preview: SentCall?, by user: FakeUser, on rig: BrokerRig) async throws -> String {
        let button = try #require(preview?.button("\u{2705} Confirm"), "\(preview?.visibleText ?? "")")
        let before = await rig.fake.sent("sendMessage").count
        await rig.fake.pressButton(button, by: user, messageID: await rig.fake.lastMessageID)
        return await rig.fake.waitForCalls("sendMessage", count: before + 1).dropFirst(before).first?.visibleText ?? ""
    }

    @Test func anAdminSwitchesWithTheWholeWordAndLiveOnlyAfterConfirm() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(alice.id)]")
        await rig.link(alice)
        await rig.link(bob)
        await rig.broker.setAnalyze(true)
        // Trading is off: the admin may still switch, nobody else may.
        #expect(text(await rig.ask("/mode live", from: bob)).contains(TradingGate.off))
        for attempt in ["/mode l", "/mode liv", "/mode sandbox", "/mode 1", "/mode live now"] {
            let reply = text(await rig.ask(attempt, from: alice))
            #expect(reply.contains("Usage:"), "\(attempt) answered \(reply)")
        }
        #expect(await rig.broker.calls("analyzer/toggle") == 0)
        let preview = await rig.ask("/mode LIVE", from: alice).last
        #expect(preview?.visibleText?.contains("Switch OpenAlgo to live mode?") == true)
        #expect(await rig.broker.calls("analyzer/toggle") == 0)
        #expect(text(await rig.ask("/mode", from: bob)).contains("analyze mode"))
        #expect(try await confirm(preview, by: alice, on: rig).contains("Switched. Now in live mode"))
        #expect(await rig.broker.calls("analyzer/toggle") == 1)
        #expect(text(await rig.ask("/mode", from: bob)).contains("live mode"))
        #expect(text(await rig.ask("/mode analyze", from: alice)).contains("Switched. Now in analyze mode"))
        #expect(text(await rig.ask("/mode", from: alice)).contains("analyze mode"))
        await rig.close()
    }

    @Test func aTradingUserSwitchesWhereTradingIsOnAndOthersAreRefused() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id), \(bob.id)]",
                                           sections: "[trading]\nenabled = true\nusers = [\(bob.id)]\nmarket_hours_only = false")
        await rig.link(alice)
        await rig.link(bob)
        #expect(text(await rig.ask("/mode analyze", from: alice)).contains(TradingGate.notAllowed))
        #expect(text(await rig.ask("/mode analyze", from: bob)).contains("Switched. Now in analyze mode"))
        let preview = await rig.ask("/mode live", from: bob).last
        #expect(preview?.visibleText?.contains("Press Confirm within 30 s to switch") == true)
        #expect(try await confirm(preview, by: bob, on: rig).contains("Switched. Now in live mode"))
        #expect(await rig.broker.calls("analyzer/toggle") == 2)
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
        #expect(await ask("/mode analyze", bob, on: harness).contains(TradingGate.off))
        let switched = await ask("/mode analyze", alice, on: harness)
        #expect(switched.contains("Switched. Now in analyze mode") && switched.contains("DEMO"))
        let restarted = try await harness.restarted()
        #expect(await ask("/mode", alice, on: restarted).contains("analyze mode"))
        // Each user has a paper account of their own, so Alice's switch left Bob's live.
        #expect(await ask("/mode", bob, on: restarted).contains("live mode"))
        await restarted.shutdown()
    }
}
