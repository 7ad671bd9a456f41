import Dispatch
import Foundation

/// SIGTERM and SIGINT as an async wait, so shutdown runs as ordinary Swift code.
public final class ShutdownSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [continuation] in continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Returns the first signal received.
    public func wait() async -> Int32 {
        for await number in stream { return number }
        return SIGTERM
    }
}
