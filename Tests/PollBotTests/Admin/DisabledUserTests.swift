import ArgumentParser
import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// `pollbot users --disable/--enable` on a running bot: the next update of a disabled user is refused like a stranger's,
/// enabling serves them again, their alerts stop; admins cannot be disabled; `pollbot user ID` never shows arguments.
@Suite struct DisabledUserTests {
    let admin = FakeUser(id: 6301, firstName: "Ada")
    let bob = FakeUser(id: 6302, firstName: "Bob")

    /// A bot.toml beside the rig's database, as the CLI reads it.
    func configFile(_ rig: BrokerRig) throws -> String {
        let path = rig.harness.directory.file("cli.toml")
        try """
            [telegram]
            token = "1:cli"
            [storage]
            path = "\(rig.harness.config.storage.path)"
            [security]
            key_file = "\(rig.harness.config.security.keyFile)"
            admins = [\(admin.id)]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func cli(_ arguments: [String]) async throws {
        var command = try PollBotCLI.parseAsRoot(arguments)
        if var command = command as? any AsyncParsableCommand { try await command.run() } else { try command.run() }
    }

    @Test func disablingTakesEffectOnTheRunningBotAndEnablingServesAgain() async throws {
        let rig = try await BrokerRig.make(security: "admins = [\(admin.id)]")
        let config = try configFile(rig)
        #expect(await rig.ask("/start", from: bob).first?.text != AccessPolicy.refusal(userID: bob.id))

        try await cli(["users", "--disable", String(bob.id), "--config", config])
        #expect(await rig.ask("/start", from: bob).first?.text == AccessPolicy.refusal(userID: bob.id))

        try await cli(["users", "--enable", String(bob.id), "--config", config])
        let served = await rig.ask("/whoami", from: bob).first?.visibleText
        #expect(served?.contains(String(bob.id)) == true)
        #expect(served?.contains("private") == false)

        // Admins cannot be disabled, and a user the bot never saw is named as such.
        await #expect(throws: ExitCode(1)) { try await cli(["users", "--disable", String(admin.id), "--config", config]) }
        await #expect(throws: ExitCode(1)) { try await cli(["users", "--disable", "999", "--config", config]) }
        await #expect(throws: ExitCode(64)) {
            try await cli(["users", "--disable", "1", "--enable", "2", "--config", config])
        }
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        #expect(try await store.isUserDisabled(admin.id) == false)
        await rig.close()
    }

    @Test func theUserReportShowsCommandNamesAndOutcomesNeverArguments() async throws {
        let rig = try await BrokerRig.make()
        await rig.link(bob)
        let key = String(repeating: "ab", count: 32)  // key-shaped: must not appear anywhere in the report
        await rig.ask("/quote \(key)", from: bob)
        await rig.ask("/start", from: bob)
        let store = try await TraderApp.openStore(path: rig.harness.config.storage.path)
        let activity = try #require(try await store.userActivity(bob.id))
        let report = UserCommand.report(activity, accounts: try await store.accounts(of: bob.id).count,
                                        now: activity.firstSeen.addingTimeInterval(3 * 86_400 + 60))
        #expect(report.hasPrefix("user \(bob.id) (Bob)"))
        #expect(report.contains("(3 days ago)"))
        #expect(report.contains("accounts     1 linked"))
        #expect(report.contains("disabled     no"))
        #expect(report.contains("commands     \(activity.commands), failed \(activity.failures)"))
        #expect(activity.commands >= 2)
        let lines = report.split(separator: "\n").filter { $0.contains("\t/") }
        #expect(lines.first?.contains("\t/start\tok") == true, "latest first")
        #expect(lines.contains { $0.contains("\t/link\t") })
        #expect(!report.contains(key) && !report.contains(BrokerRig.apiKey) && !report.contains(rig.broker.host))
        #expect(try await store.userActivity(424_242) == nil)
        await rig.close()
    }

    @Test func aDisabledUsersAlertDoesNotMessageThemUntilEnabled() async throws {
        let alice = AlertFixture.user, carol: Int64 = 7102
        let fixture = try await AlertFixture.make(users: [alice, carol])
        for id in [alice, carol] { try await fixture.store.touchUser(User(id: id, firstName: "U\(id)")) }
        let disabled = try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10, user: alice)
        try await fixture.arm("RELIANCE", .above, 1500, ltp: 1420.10, user: carol)
        #expect(try await fixture.store.setUserDisabled(alice, true) == .changed)
        await fixture.fake.setQuote("RELIANCE", ltp: 1502.35)
        await fixture.check()
        let chats = try await fixture.store.pendingOutbox().map(\.message.chatID)
        #expect(chats == [carol])
        #expect(try await fixture.store.alert(disabled, of: alice)?.state == .armed)
        // Enabled again, the alert fires for them on the next check.
        #expect(try await fixture.store.setUserDisabled(alice, false) == .changed)
        await fixture.check()
        #expect(try await fixture.store.pendingOutbox().map(\.message.chatID) == [carol, alice])
        await fixture.close()
    }
}
