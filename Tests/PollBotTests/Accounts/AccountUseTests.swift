import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// Stored keys are used only where the operator allows now, and account changes never show stale answers.
@Suite struct AccountUseTests {
    let alice = FakeUser(id: 2201, firstName: "Alice")

    @Test func anAccountOnAHostTheOperatorRemovedIsNotCalled() async throws {
        let rig = try await BrokerRig.make()
        // A row linked while bot.toml still listed this host; the operator has removed it since.
        let removedHost = "http://127.0.0.1:9"
        let vault = try KeyRing.load(keyFile: rig.harness.config.security.keyFile)
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        try await store.saveAccount(LinkedAccount(
            userID: alice.id, name: "main", host: removedHost,
            sealed: vault.seal(BrokerRig.apiKey, userID: alice.id, account: "main", host: removedHost),
            keyHint: "4e5f", linkedAt: Date()))
        for command in ["/status", "/funds", "/positions"] {
            let reply = try #require(await rig.ask(command, from: alice).first?.visibleText)
            #expect(reply.contains("Account main points at a host the operator removed (\(removedHost)); /link again"), "\(command)")
            #expect(reply.contains("error "), "\(command): the reply carries an error id")
        }
        let called = await rig.broker.requests.map(\.endpoint)
        #expect(called.isEmpty, "called \(called)")
        #expect(rig.harness.logs.text.contains("points at removed host \(removedHost)"))
        await rig.close()
    }

    @Test func linkUseAndUnlinkDropTheCachedAnswersOfTheAccountsTheyTouch() async throws {
        let rig = try await BrokerRig.make()
        func fundsCalls() async -> Int { await rig.broker.requests.filter { $0.endpoint == "funds" }.count }
        await rig.link(alice)                        // /link checks the key with one funds call
        await rig.ask("/funds", from: alice)
        await rig.ask("/funds", from: alice)
        #expect(await fundsCalls() == 2)             // the second /funds came from the cache

        await rig.ask("/use main", from: alice)
        await rig.ask("/funds", from: alice)
        #expect(await fundsCalls() == 3)

        await rig.link(alice)                        // relinking the same name: one check call, and the cache is dropped
        await rig.ask("/funds", from: alice)
        #expect(await fundsCalls() == 5)

        await rig.ask("/unlink main", from: alice)
        await rig.link(alice)
        await rig.ask("/funds", from: alice)
        #expect(await fundsCalls() == 7)
        await rig.close()
    }
}
