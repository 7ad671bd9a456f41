import BotKit
import Foundation
import TestSupport
import Testing

@Suite struct CurlEngineTests {
    @Test func aStalledRequestTimesOut() async throws {
        let fake = try await FakeTelegram.start()
        await fake.inject(.stall(.seconds(3)), for: "getMe")
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .milliseconds(500))
        let started = ContinuousClock.now
        do {
            _ = try await client.getMe()
            Issue.record("expected a timeout")
        } catch let TelegramError.transport(error) {
            #expect(error.isTimeout)
            #expect(!error.description.contains(fake.token))
        }
        #expect(started.duration(to: .now) < .seconds(2))
        await fake.stop()
    }

    @Test func cancellingTheCallerStopsTheTransferAtOnce() async throws {
        let fake = try await FakeTelegram.start()
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token)
        let poll = Task { try await client.getUpdates(offset: 0, timeout: 20, allowedUpdates: []) }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        poll.cancel()
        await #expect(throws: CancellationError.self) { _ = try await poll.value }
        #expect(started.duration(to: .now) < .milliseconds(500))
        await fake.stop()
    }

    @Test func multipartUploadsArriveIntact() async throws {
        let fake = try await FakeTelegram.start()
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token)
        // PNG magic and an IHDR of 640x480 (the fake checks both), then arbitrary bytes.
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 2, 0x80, 0, 0, 1, 0xE0])
        png.append(contentsOf: (0..<5000).map { UInt8($0 % 251) })
        _ = try await client.upload("sendPhoto", parts: [
            .field("chat_id", "42"), .field("caption", "a_b <c>"),
            .file("photo", filename: "chart.png", contentType: "image/png", data: png),
        ], as: Ignored.self)
        let call = try #require(await fake.sent("sendPhoto").first)
        #expect(call.files["photo"] == png)
        #expect(call.parameters["caption"] as? String == "a_b <c>")
        await fake.stop()
    }

    @Test func telegramErrorsAreTypedWithTheirParameters() async throws {
        let fake = try await FakeTelegram.start()
        await fake.inject(.error(status: 429, description: "Too Many Requests: retry after 7", retryAfter: 7), for: "getMe")
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token)
        do {
            _ = try await client.getMe()
            Issue.record("expected 429")
        } catch let error as TelegramError {
            #expect(error.code == 429)
            #expect(error.retryAfter == 7)
            #expect(error.isTransient)
        }
        await fake.stop()
    }
}
