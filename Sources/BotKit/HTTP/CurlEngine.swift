import CCurl
import Foundation
import Synchronization

/// Performs HTTP requests with libcurl on one dedicated thread.
///
/// One curl multi handle drives every transfer of the process: the long poll,
/// the sender's messages and the broker calls share its connection cache and
/// none of them blocks the Swift concurrency pool. Cancelling the calling task
/// removes its transfer at once (curl_multi_wakeup), so a 25 s long poll stops
/// the moment the bot shuts down.
public final class CurlEngine: HTTPTransport, @unchecked Sendable {
    /// The process-wide engine.
    public static let shared = CurlEngine()

    private struct Submission {
        var id: UInt64
        var request: HTTPRequest
        var continuation: CheckedContinuation<HTTPResponse, any Error>
    }

    private struct Shared {
        var nextID: UInt64 = 1
        var live: Set<UInt64> = []
        var cancelled: Set<UInt64> = []
        var submissions: [Submission] = []
    }

    /// Per-transfer state; touched only on the engine thread, except by curl's write callback there.
    private final class Transfer {
        let id: UInt64
        let easy: UnsafeMutableRawPointer
        let continuation: CheckedContinuation<HTTPResponse, any Error>
        var headers: UnsafeMutablePointer<curl_slist>?
        var mime: OpaquePointer?
        var body = Data()
        let limit: Int
        var overflowed = false

        init(id: UInt64, easy: UnsafeMutableRawPointer, limit: Int, continuation: CheckedContinuation<HTTPResponse, any Error>) {
            self.id = id
            self.easy = easy
            self.limit = limit
            self.continuation = continuation
        }
    }

    private let shared = Mutex(Shared())
    private let multi: UnsafeMutableRawPointer
    // Engine-thread state.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    private init() {
        curl_global_init(3)  // CURL_GLOBAL_ALL
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        let thread = Thread { [unowned self] in self.runLoop() }
        thread.name = "curl"
        thread.start()
    }

    /// Performs one request; throws `HTTPTransportError` when no response came, `CancellationError` when cancelled.
    public func perform(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = shared.withLock { state -> UInt64 in
            let id = state.nextID
            state.nextID += 1
            state.live.insert(id)
            return id
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                shared.withLock { $0.submissions.append(Submission(id: id, request: request, continuation: continuation)) }
                curl_multi_wakeup(multi)
            }
        } onCancel: {
            shared.withLock { state in
                if state.live.contains(id) { state.cancelled.insert(id) }
            }
            curl_multi_wakeup(multi)
        }
    }

    // MARK: - Engine thread

    private func runLoop() {
        var running: Int32 = 0
        while true {
            let (submissions, cancelled) = shared.withLock { state in
                let taken = (state.submissions, state.cancelled)
                state.submissions.removeAll(keepingCapacity: true)
                return taken
            }
            for submission in submissions {
                if cancelled.contains(submission.id) {
                    finish(id: submission.id, submission.continuation, .failure(CancellationError()))
                } else {
                    start(submission)
                }
            }
            if !cancelled.isEmpty {
                for transfer in active.values where cancelled.contains(transfer.id) {
                    complete(transfer, .failure(CancellationError()))
                }
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active[easy]
                else { continue }
                let code = message.pointee.data.result
                if code == CURLE_OK {
                    var status = 0
                    ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
                    complete(transfer, .success(HTTPResponse(status: status, body: transfer.body)))
                } else if transfer.overflowed || code == CURLE_FILESIZE_EXCEEDED {
                    complete(transfer, .failure(HTTPTransportError.tooLarge(limit: transfer.limit)))
                } else {
                    complete(transfer, .failure(Self.transportError(code)))
                }
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ submission: Submission) {
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            finish(id: submission.id, submission.continuation,
                   .failure(HTTPTransportError(code: -1, message: "curl_easy_init failed", isTimeout: false)))
            return
        }
        let request = submission.request
        let transfer = Transfer(id: submission.id, easy: easy, limit: max(0, request.maxResponseBytes),
                                continuation: submission.continuation)
        ccurl_setopt_string(easy, CURLOPT_URL, request.url)
        // Plain HTTP(S) only, and no redirects (curl's default, restated after every reset): a hostile
        // or misconfigured host cannot send the API key in the body on to file://, another host or port.
        ccurl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_string(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        ccurl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(transfer.limit))
        ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        ccurl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if request.freshConnection {
            ccurl_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
            ccurl_setopt_long(easy, CURLOPT_FORBID_REUSE, 1)
        }
        ccurl_setopt_write(easy, CURLOPT_WRITEFUNCTION, { pointer, size, count, context in
            guard let pointer, let context else { return 0 }
            let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
            // A body without Content-Length escapes CURLOPT_MAXFILESIZE: count it here too. Returning
            // less than was offered makes curl abort the transfer with CURLE_WRITE_ERROR.
            guard transfer.body.count + size * count <= transfer.limit else {
                transfer.overflowed = true
                return 0
            }
            transfer.body.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: size * count)
            return size * count
        })
        ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(transfer).toOpaque())
        for line in request.headers { transfer.headers = curl_slist_append(transfer.headers, line) }
        switch request.method {
        case "HEAD"?: ccurl_setopt_long(easy, CURLOPT_NOBODY, 1)
        case let method?: ccurl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)
        case nil: break
        }
        switch request.body {
        case .none:
            break
        case .json(let data):
            transfer.headers = curl_slist_append(transfer.headers, "Content-Type: application/json")
            ccurl_setopt_long(easy, CURLOPT_POST, 1)
            ccurl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(data.count))
            data.withUnsafeBytes { raw in
                _ = ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            }
        case .multipart(let parts):
            let mime = curl_mime_init(easy)
            for part in parts {
                let handle = curl_mime_addpart(mime)
                curl_mime_name(handle, part.name)
                part.data.withUnsafeBytes { raw in
                    _ = curl_mime_data(handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
                }
                if let filename = part.filename { curl_mime_filename(handle, filename) }
                if let type = part.contentType { curl_mime_type(handle, type) }
            }
            transfer.mime = mime
            ccurl_setopt_mime(easy, CURLOPT_MIMEPOST, mime)
        }
        if let headers = transfer.headers { ccurl_setopt_slist(easy, CURLOPT_HTTPHEADER, headers) }
        active[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    private func complete(_ transfer: Transfer, _ result: Result<HTTPResponse, any Error>) {
        curl_multi_remove_handle(multi, transfer.easy)
        active[transfer.easy] = nil
        if let headers = transfer.headers { curl_slist_free_all(headers) }
        if let mime = transfer.mime { curl_mime_free(mime) }
        curl_easy_reset(transfer.easy)  // keeps the handle's caches for the next request
        if idleHandles.count < 32 { idleHandles.append(transfer.easy) } else { curl_easy_cleanup(transfer.easy) }
        finish(id: transfer.id, transfer.continuation, result)
    }

    private func finish(id: UInt64, _ continuation: CheckedContinuation<HTTPResponse, any Error>, _ result: Result<HTTPResponse, any Error>) {
        shared.withLock { state in
            state.live.remove(id)
            state.cancelled.remove(id)
        }
        continuation.resume(with: result)
    }

    private static func transportError(_ code: CURLcode) -> HTTPTransportError {
        let message = curl_easy_strerror(code).map { String(cString: $0) } ?? "unknown"
        return HTTPTransportError(code: Int(code.rawValue), message: message, isTimeout: code == CURLE_OPERATION_TIMEDOUT)
    }

    private static func milliseconds(_ duration: Duration) -> Int { Int(duration.wholeMilliseconds) }
}
