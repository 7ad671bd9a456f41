import Foundation

/// Calls the Telegram Bot API over the shared curl engine.
///
/// The token is part of every URL and so appears in no error or log line:
/// errors carry curl's message or Telegram's description only.
public struct TelegramClient: Sendable {
    private let methodBase: String
    private let engine: any HTTPTransport
    /// Limit for ordinary calls; getUpdates adds its poll timeout.
    public var requestTimeout: Duration
    /// 64 MiB: a getUpdates batch of 100 updates is at most a few MiB; the bot downloads no files through these calls.
    public static let maxResponseBytes = 64 << 20

    public init(apiURL: String, token: String, engine: any HTTPTransport = CurlEngine.shared, requestTimeout: Duration = .seconds(30)) {
        var base = apiURL
        while base.hasSuffix("/") { base.removeLast() }
        self.methodBase = base + "/bot" + token + "/"
        self.engine = engine
        self.requestTimeout = requestTimeout
    }

    /// Calls `method` with JSON parameters and decodes `result`.
    public func call<Result: Decodable>(
        _ method: String, _ parameters: some Encodable, as: Result.Type = Result.self, timeout: Duration? = nil
    ) async throws -> Result {
        let body: Data
        do { body = try JSONEncoder.telegram.encode(parameters) } catch {
            throw TelegramError.badResponse(status: 0, reason: "could not encode \(method) parameters")
        }
        return try await callJSON(method, body: body, as: Result.self, timeout: timeout)
    }

    /// Calls `method` with an already encoded JSON object, as stored in the outbox.
    public func callJSON<Result: Decodable>(
        _ method: String, body: Data, as: Result.Type = Result.self, timeout: Duration? = nil
    ) async throws -> Result {
        try await perform(HTTPRequest(url: methodBase + method, body: .json(body), timeout: timeout ?? requestTimeout,
                                      maxResponseBytes: Self.maxResponseBytes))
    }

    /// Calls `method` with a multipart body (photo uploads).
    public func upload<Result: Decodable>(
        _ method: String, parts: [MultipartPart], as: Result.Type = Result.self
    ) async throws -> Result {
        try await perform(HTTPRequest(url: methodBase + method, body: .multipart(parts), timeout: requestTimeout + .seconds(30),
                                      maxResponseBytes: Self.maxResponseBytes))
    }

    private func perform<Result: Decodable>(_ request: HTTPRequest) async throws -> Result {
        let response: HTTPResponse
        do {
            response = try await engine.perform(request)
        } catch let error as HTTPTransportError {
            throw TelegramError.transport(error)
        }
        // Most calls (every send by the outbox) ignore the result: a plain success needs no JSON decoder, which
        // would parse the whole sent message only to drop it.
        if Result.self == Ignored.self, response.status == 200, Self.isPlainSuccess(response.body),
           let ignored = Ignored() as? Result {
            return ignored
        }
        let envelope: Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(Envelope<Result>.self, from: response.body)
        } catch {
            throw TelegramError.badResponse(status: response.status, reason: "body is not a Bot API reply")
        }
        if envelope.ok, let result = envelope.result { return result }
        throw TelegramError.api(
            code: envelope.errorCode ?? response.status,
            description: envelope.description ?? "no description",
            // Outside input like any other: a negative wait would spin the poller, 1e18 s would overflow a Duration.
            retryAfter: envelope.parameters?.retryAfter.map { min(max($0, 1), 86_400) },
            migrateToChatID: envelope.parameters?.migrateToChatID)
    }
}

/// Decodes any JSON value and keeps nothing: for calls whose result is not needed.
public struct Ignored: Decodable, Sendable {
    public init(from decoder: any Decoder) throws {}
    init() {}
}

extension TelegramClient {
    private static let successPrefix = Array(#"{"ok":true,"result":"#.utf8)
    private static let valueStarts = Set(#"{["tf-0123456789"#.utf8)

    /// True for a body shaped as Telegram writes a success, `{"ok":true,"result":<value>}`, with a value that is not
    /// null (a null result is not a success for the envelope either); anything else goes through the decoder.
    static func isPlainSuccess(_ body: Data) -> Bool {
        body.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count > successPrefix.count + 1, bytes.starts(with: successPrefix),
                  valueStarts.contains(bytes[successPrefix.count]) else { return false }
            var last = bytes.count - 1
            while last > 0, bytes[last] == 0x20 || bytes[last] == 0x0A || bytes[last] == 0x0D || bytes[last] == 0x09 { last -= 1 }
            return bytes[last] == UInt8(ascii: "}")
        }
    }
}

private struct Envelope<Result: Decodable>: Decodable {
    struct Parameters: Decodable {
        var retryAfter: Int?
        var migrateToChatID: Int64?
        enum CodingKeys: String, CodingKey { case retryAfter = "retry_after", migrateToChatID = "migrate_to_chat_id" }
    }

    var ok: Bool
    var result: Result?
    var errorCode: Int?
    var description: String?
    var parameters: Parameters?

    enum CodingKeys: String, CodingKey {
        case ok, result, errorCode = "error_code", description, parameters
    }
}

extension JSONEncoder {
    /// Compact, deterministic JSON for Bot API parameters.
    static var telegram: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
