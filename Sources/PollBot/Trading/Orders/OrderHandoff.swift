import Synchronization

/// Runs an order's broker work on a task of its own, so a handler cut short (handler_timeout, the shutdown drain)
/// cannot cancel a reconcile half way and leave the intent open: the handler gets the verdict as its reply when it is
/// still waiting, else the work tells it through `deliver` (the outbox) when it ends.
///
/// The work is not given a deadline of its own on purpose: cancelling it would bring back the open intent this type
/// exists to avoid. It is bounded by construction instead: a fixed number of broker calls, each within
/// `broker.timeout`, and the finite waits of `OrderTiming`. If the process ends first, the intent is still `sending`
/// or `unknown` and the startup reconciliation settles it.
final class OrderHandoff: Sendable {
    private enum State {
        case waiting(CheckedContinuation<String?, Never>?)
        case done(String)
        case abandoned
    }

    private let state = Mutex<State>(.waiting(nil))

    private init() {}

    /// The verdict of `work`, or nil when the calling task was cancelled first (the work goes on and `deliver`s it).
    static func run(deliver: @escaping @Sendable (String) async -> Void,
                    work: @escaping @Sendable () async -> String) async -> String? {
        let handoff = OrderHandoff()
        // Unstructured on purpose: the caller's cancellation must not reach the broker calls.
        Task {
            let html = await work()
            if handoff.finish(html) { await deliver(html) }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { handoff.wait($0) }
        } onCancel: {
            handoff.abandon()
        }
    }

    /// Records the verdict; true when nobody waits for it any more, so the work must deliver it itself.
    private func finish(_ html: String) -> Bool {
        state.withLock { state in
            switch state {
            case .waiting(let waiter):
                state = .done(html)
                waiter?.resume(returning: html)
                return false
            case .abandoned: return true
            case .done: return false
            }
        }
    }

    private func wait(_ waiter: CheckedContinuation<String?, Never>) {
        state.withLock { state in
            switch state {
            case .waiting: state = .waiting(waiter)
            case .done(let html): waiter.resume(returning: html)
            case .abandoned: waiter.resume(returning: nil)
            }
        }
    }

    private func abandon() {
        state.withLock { state in
            guard case .waiting(let waiter) = state else { return }
            state = .abandoned
            waiter?.resume(returning: nil)
        }
    }
}
