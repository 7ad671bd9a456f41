import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A button pressed while the bot was down, end to end: the Poller's first rounds after a start are the backlog,
/// `last_poll_at` says how long the bot was down, and StaleGuard refuses a press that may be that old.
@Suite struct StalePressTests {
    let alice = FakeUser(id: 4242, firstName: "Alice")
    static let offline = "This button was pressed while the bot was offline, so nothing was done. Press it again if you still want it."

    /// The toast a /menu press gets: pressed before the bot starts (down `downFor` seconds; nil: never stamped) or live.
    func toast(downFor: TimeInterval?, pressedLive: Bool = false) async throws -> String? {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try ConfigLoader.parse(BotHarness.configText(fake: fake, directory: directory, staleAfter: 120))
        if let downFor {
            let store = try await TraderApp.openStore(path: config.storage.path)
            try await store.setMeta("last_poll_at", String(Date().timeIntervalSince1970 - downFor))
        }
        let data = CallbackData(owner: alice.id, action: "menu:home:0:0").encoded
        if !pressedLive { _ = await fake.pressButton(data, by: alice) }
        let bot = try TraderApp.bot(config: config, logger: LogCapture().logger("pollbot"))
        let task = Task { try await bot.run() }
        if pressedLive {
            // Once the backlog round is done and the long poll waits, a press is live.
            while await fake.getUpdatesCalls < 2 { try await Task.sleep(for: .milliseconds(5)) }
            _ = await fake.pressButton(data, by: alice)
        }
        let answers = await fake.waitForCalls("answerCallbackQuery", count: 1, timeout: .seconds(10))
        await bot.requestStop()
        _ = try? await task.value
        await fake.stop()
        return answers.first?.parameters["text"] as? String
    }

    @Test func aPressThatWaitedThroughAnHourDownIsNotActedOn() async throws {
        #expect(try await toast(downFor: 3600) == Self.offline)
    }

    @Test func aPressDuringAQuickRestartIsActedOn() async throws {
        // 40 s down: within stale_after (120 s) even before the slack for the last stamp's age.
        #expect(try await toast(downFor: 40) != Self.offline)
        // 130 s by the stamp: more than stale_after, but within the slack by which a stamp may lag (poll 2 s + 30 s).
        #expect(try await toast(downFor: 130) != Self.offline)
    }

    @Test func aPressMadeWhileTheBotRunsIsActedOnWhateverTheDowntimeBefore() async throws {
        #expect(try await toast(downFor: 3600, pressedLive: true) != Self.offline)
    }
}
