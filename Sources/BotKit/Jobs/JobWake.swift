import Synchronization

/// The scheduler's pause between passes, ended early by `signal` (a job scheduled, a run finished, a stop).
/// A signal while nobody pauses is kept, so the next pause returns at once and nothing is missed.
final class JobWake: Sendable {
    private let state = Mutex<(pending: Bool, sleeper: Task<Void, Never>?)>((false, nil))

    init() {}

    func signal() {
        state.withLock { state in
            if let sleeper = state.sleeper {
                sleeper.cancel()
                state.sleeper = nil
            } else {
                state.pending = true
            }
        }
    }

    /// Waits `duration`, or less when signalled or when the caller is cancelled.
    func pause(_ duration: Duration) async {
        let sleeper: Task<Void, Never>? = state.withLock { state in
            if state.pending {
                state.pending = false
                return nil
            }
            let task = Task { _ = try? await Task.sleep(for: duration) }
            state.sleeper = task
            return task
        }
        guard let sleeper else { return }
        await withTaskCancellationHandler { await sleeper.value } onCancel: { sleeper.cancel() }
        state.withLock { state in
            if state.sleeper == sleeper { state.sleeper = nil }
        }
    }
}
