import FlyingFox
import FlyingSocks
import Foundation

/// A response whose body breaks off: the status line, the headers promising 4096 bytes and the first few bytes go out,
/// then the body sequence throws, and FlyingFox closes the socket on the error. The client sees what a real peer's
/// dropped connection looks like (a response cut short, at once), not a stall until its own request limit, which is
/// what a short body under a longer Content-Length alone gave: FlyingFox keeps such a connection open.
enum DroppedResponse {
    static func make() -> FlyingFox.HTTPResponse {
        FlyingFox.HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                               body: HTTPBodySequence(from: BrokenBytes(head: Array("{\"ok\":".utf8)), count: 4096))
    }

    struct Dropped: Error {}

    /// Yields `head` once, then fails.
    struct BrokenBytes: AsyncBufferedSequence, Sendable {
        typealias Element = UInt8
        let head: [UInt8]

        func makeAsyncIterator() -> Iterator { Iterator(head: head) }

        struct Iterator: AsyncBufferedIteratorProtocol {
            var head: [UInt8]?

            mutating func next() async throws -> UInt8? {
                guard var bytes = head, !bytes.isEmpty else { throw Dropped() }
                let first = bytes.removeFirst()
                head = bytes
                return first
            }

            mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
                guard let bytes = head else { throw Dropped() }
                head = nil
                return bytes
            }
        }
    }
}
