import Synchronization

/// Runs a job's body with a time limit that holds even when the body ignores cancellation (a broker call that hangs):
/// at the limit, or when the caller is cancelled, the body is cancelled and abandoned, and its result is ignored.
enum JobDeadline {
    static func run<T: Sendable>(limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        let work = Task { try await body() }
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            work.cancel()
            once.finish(.failure(JobFailure("timed out after \(limit.inSeconds) s")))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                once.attach(continuation)
                Task { once.finish(await work.result) }
            }
        } onCancel: {
            work.cancel()
            once.finish(.failure(CancellationError()))
        }
    }
}

/// A continuation resumed by the first of several racers; an outcome that comes before the continuation is kept for it.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, outcome: Result<T, any Error>?, done: Bool)>((nil, nil, false))

    func attach(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let outcome = state.outcome {
                state.outcome = nil
                return outcome
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func finish(_ outcome: Result<T, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<T, any Error>? in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.outcome = outcome
                return nil
            }
            state.continuation = nil
            return continuation
        }
        waiting?.resume(with: outcome)
    }
}
