import CCurl
import Foundation

/// Something that performs HTTP requests: the curl engine, or the demo's in-process Telegram.
public protocol HTTPTransport: Sendable {
    /// Performs one request; throws `HTTPTransportError` when no response came.
    func perform(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// One HTTP request as the curl engine performs it.
public struct HTTPRequest: Sendable {
    /// How the body is sent.
    public enum Body: Sendable {
        case none
        case json(Data)
        case multipart([MultipartPart])
    }

    public var url: String
    public var body: Body
    /// Whole-transfer limit; a long poll sets this above its poll timeout.
    public var timeout: Duration
    public var connectTimeout: Duration
    /// The transfer is aborted once the response body grows past this, so a hostile or broken server cannot fill memory.
    public var maxResponseBytes: Int
    /// A new connection, closed afterwards: libcurl silently re-sends a request whose reused connection died before
    /// any answer, and an order must never go out twice.
    public var freshConnection: Bool
    /// Extra header lines ("Authorization: Bearer …"); never logged.
    public var headers: [String] = []
    /// A method other than GET (no body) or POST (a body): "HEAD", "PUT", "DELETE".
    public var method: String?

    /// 8 MiB: far above any broker answer (a year of minute candles is about 2 MiB), far below what would hurt a small VPS.
    public static let defaultMaxResponseBytes = 8 << 20

    public init(url: String, body: Body = .none, timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5),
                maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes, freshConnection: Bool = false) {
        self.freshConnection = freshConnection
        self.url = url
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// A form field or a file of a multipart/form-data body.
public struct MultipartPart: Sendable {
    public var name: String
    public var data: Data
    public var filename: String?
    public var contentType: String?

    /// A plain form field.
    public static func field(_ name: String, _ value: String) -> MultipartPart {
        MultipartPart(name: name, data: Data(value.utf8), filename: nil, contentType: nil)
    }

    /// A file upload.
    public static func file(_ name: String, filename: String, contentType: String, data: Data) -> MultipartPart {
        MultipartPart(name: name, data: data, filename: filename, contentType: contentType)
    }
}

/// The status and body of a completed transfer.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// A transfer that did not produce an HTTP response.
///
/// The message comes from curl's error table and never contains the URL,
/// which carries the bot token.
public struct HTTPTransportError: Error, CustomStringConvertible, Sendable {
    public var code: Int
    public var message: String
    public var isTimeout: Bool
    public var description: String { "network error \(code): \(message)" }
    /// True when no byte of the request can have reached the server: the host did not resolve or refused the connection.
    public var requestNeverSent: Bool {
        [CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT]
            .contains { Int($0.rawValue) == code }
    }

    public init(code: Int, message: String, isTimeout: Bool) {
        self.code = code
        self.message = message
        self.isTimeout = isTimeout
    }

    /// The body passed `HTTPRequest.maxResponseBytes` and the transfer was aborted.
    public static func tooLarge(limit: Int) -> HTTPTransportError {
        HTTPTransportError(code: Int(CURLE_WRITE_ERROR.rawValue), message: "response larger than \(limit / 1_048_576) MiB, aborted",
                           isTimeout: false)
    }
}
