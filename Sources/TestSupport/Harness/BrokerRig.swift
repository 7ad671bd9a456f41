import BotKit
import Foundation

/// A bot on the fake Telegram with the fake OpenAlgo as its broker host: the rig of every broker test.
public struct BrokerRig: Sendable {
    /// A key the fake OpenAlgo accepts.
    public static let apiKey = "oa_2b9f7c1e8d4a6b3c5e7f9a1b2c3d4e5f"
    public let harness: BotHarness
    public let broker: FakeOpenAlgo

    /// `security` lines land in [security]; `broker` lines in [broker] (after host); `sections` may open more.
    public static func make(security: String = "", broker brokerLines: String = "", sections: String = "",
                            userPerMinute: Int = 0, validKeys: Set<String> = [apiKey]) async throws -> BrokerRig {
        let broker = try await FakeOpenAlgo.start(validKeys: validKeys)
        let harness = try await BotHarness.start(userPerMinute: userPerMinute, extra: """
            \(security)
            [broker]
            host = "\(broker.host)"
            \(brokerLines)
            \(sections)
            """)
        return BrokerRig(harness: harness, broker: broker)
    }

    public var fake: FakeTelegram { harness.fake }

    /// The first `count` replies (sendMessage) as the user sees them.
    public func replies(_ count: Int) async -> [String] {
        await fake.waitForCalls("sendMessage", count: count).compactMap(\.visibleText)
    }

    /// Sends `text` and returns the `messages` replies it produced, as sent.
    @discardableResult
    public func ask(_ text: String, from user: FakeUser, messages: Int = 1, timeout: Duration = .seconds(15)) async -> [SentCall] {
        let before = await fake.sent("sendMessage").count
        await fake.sendText(text, from: user)
        let calls = await fake.waitForCalls("sendMessage", count: before + messages, timeout: timeout)
        return Array(calls.dropFirst(before))
    }

    /// Sends `text` and returns every reply up to the one whose visible text contains `marker` (for split replies).
    public func ask(_ text: String, from user: FakeUser, until marker: String, timeout: Duration = .seconds(15)) async -> [String] {
        let before = await fake.sent("sendMessage").count
        await fake.sendText(text, from: user)
        let calls = await fake.waitUntil(timeout: timeout) { calls in
            calls.filter { $0.method == "sendMessage" }.dropFirst(before).contains { $0.visibleText?.contains(marker) == true }
        }
        return calls.filter { $0.method == "sendMessage" }.dropFirst(before).compactMap(\.visibleText)
    }

    /// Links the fake's key for `user` and waits for the reply.
    public func link(_ user: FakeUser, key: String = apiKey, name: String = "") async {
        await ask("/link \(key) \(broker.host) \(name)".trimmingCharacters(in: .whitespaces), from: user)
    }

    /// The same rig after the bot restarted (the fakes keep running).
    public func restarted() async throws -> BrokerRig {
        BrokerRig(harness: try await harness.restarted(), broker: broker)
    }

    public func close() async {
        await harness.shutdown()
        await broker.stop()
    }
}
