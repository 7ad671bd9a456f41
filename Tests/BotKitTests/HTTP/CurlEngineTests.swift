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

    /// The fake's dropped connection is a real peer's: the transfer fails at once, not at the request limit, and the
    /// next call on the same client goes through (the chaos soak's "dropped connection" counts on both).
    @Test func aDroppedConnectionFailsAtOnceAndTheNextCallWorks() async throws {
        let fake = try await FakeTelegram.start()
        await fake.inject(.dropConnection, for: "getMe")
        // A limit far above the bound below: a stall would take all of it, a busy machine only a few seconds.
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token, requestTimeout: .seconds(60))
        let started = ContinuousClock.now
        do {
            _ = try await client.getMe()
            Issue.record("expected a transport error")
        } catch let TelegramError.transport(error) {
            #expect(!error.isTimeout, "\(error)")
        }
        #expect(started.duration(to: .now) < .seconds(20), "the drop stalled: \(started.duration(to: .now))")
        let me = try await client.getMe()
        #expect(me.username == FakeTelegram.botUsername)
        await fake.stop()
    }

    @Test func cancellingTheCallerStopsTheTransferAtOnce() async throws {
        let fake = try await FakeTelegram.start()
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token)
        let poll = Task { try await client.getUpdates(offset: 0, timeout: 20, allowedUpdates: []) }
        // Cancel once the fake holds the long poll, not after a guessed delay: on a busy machine the request could
        // arrive after the fake stopped ending polls, and its 20 s hold would then keep the whole suite waiting.
        while await fake.getUpdatesCalls == 0 { try await Task.sleep(for: .milliseconds(5)) }
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

extension CurlEngineTests {
    @Test(arguments: [(-30, 1), (0, 1), (9_000_000_000_000_000_000, 86_400)])
    func aRetryAfterOutsideReasonIsClamped(sent: Int, kept: Int) async throws {
        let fake = try await FakeTelegram.start()
        await fake.inject(.error(status: 429, description: "Too Many Requests", retryAfter: sent), for: "getMe")
        let client = TelegramClient(apiURL: fake.apiURL, token: fake.token)
        await #expect { _ = try await client.getMe() } throws: { ($0 as? TelegramError)?.retryAfter == kept }
        await fake.stop()
    }
}

/// What a hostile or broken server cannot do to the engine: fill memory, redirect the request, or reach other schemes.
@Suite struct CurlEngineLimitTests {
    let engine = CurlEngine.shared

    func get(_ url: String, limit: Int = HTTPRequest.defaultMaxResponseBytes) async throws -> HTTPResponse {
        // A fresh connection: the shared engine may hold a live keep-alive connection to a port an earlier test's
        // server used, and reusing it would ask that server instead of this test's host.
        var request = HTTPRequest(url: url, timeout: .seconds(10), maxResponseBytes: limit)
        request.freshConnection = true
        return try await engine.perform(request)
    }

    @Test(arguments: [false, true])
    func aBodyPastTheLimitAbortsTheTransfer(chunked: Bool) async throws {
        let host = try CannedHTTPHost(response: CannedHTTPHost.response(body: Data(count: 3 << 20), chunked: chunked))
        defer { host.stop() }
        await #expect { _ = try await get(host.url, limit: 1 << 20) } throws: { error in
            guard let transport = error as? HTTPTransportError else { return false }
            return transport.message.contains("larger than 1 MiB") && !transport.isTimeout
        }
        // The same body under the limit arrives whole.
        #expect(try await get(host.url, limit: 4 << 20).body.count == 3 << 20)
    }

    @Test func theDefaultLimitIsEightMebibytes() async throws {
        let host = try CannedHTTPHost(response: CannedHTTPHost.response(body: Data(count: 9 << 20), chunked: true))
        defer { host.stop() }
        #expect(HTTPRequest.defaultMaxResponseBytes == 8 << 20)
        await #expect(throws: HTTPTransportError.self) { _ = try await get(host.url) }
        #expect(TelegramClient.maxResponseBytes == 64 << 20)
    }

    @Test func redirectsAreNotFollowed() async throws {
        let target = try CannedHTTPHost(response: CannedHTTPHost.response(body: Data("secret sink".utf8)))
        defer { target.stop() }
        let redirecting = try CannedHTTPHost(response: CannedHTTPHost.response(
            status: 307, headers: ["Location: \(target.url)/api/v1/funds"], body: Data()))
        defer { redirecting.stop() }
        let response = try await get(redirecting.url)
        #expect(response.status == 307)
        #expect(target.connections == 0)
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/", "dict://127.0.0.1/"])
    func onlyHTTPAndHTTPSAreSpoken(url: String) async throws {
        await #expect { _ = try await get(url) } throws: { error in
            (error as? HTTPTransportError)?.code == 1  // CURLE_UNSUPPORTED_PROTOCOL
        }
    }
}
