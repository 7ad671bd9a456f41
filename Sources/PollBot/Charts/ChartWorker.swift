import BotKit
import Foundation
import Synchronization

/// Renders charts one at a time on a thread of its own: cairo drawing and PNG encoding block, and must not hold the
/// concurrency pool.
///
/// A render past `limit` is abandoned with `ChartTimeout`. A C call stuck in cairo cannot be cancelled, so the worker
/// leaves that thread to finish on its own and runs the next job on another one. The cost: each abandoned render keeps
/// its thread (1 MB stack) and its picture (about 4 MB at 1280x720) until cairo returns; a thread that has returned is
/// kept for reuse, and while `maxStuck` renders are still stuck, charts are refused rather than starting more threads.
public actor ChartWorker {
    /// The process's chart worker, with a 5 s limit.
    public static let shared = ChartWorker()

    /// Renders still running after their limit at which new charts are refused.
    public static let maxStuck = 3

    /// How long one render may take.
    public let limit: Duration
    private let renderer: @Sendable (ChartSpec) throws -> Data
    private let timer: @Sendable (Duration) async throws -> Void
    private var lane = ChartLane()
    /// Lanes whose abandoned render has since returned: idle threads to use before starting a new one.
    private var idleLanes: [ChartLane] = []
    private var stuck = 0
    private var busy = false
    /// When the render now drawing began; nil while idle.
    private var drawingSince: ContinuousClock.Instant?
    /// Callers waiting for their turn, by ticket; a cancelled caller leaves the queue at once.
    private var waiting: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextTicket: UInt64 = 0

    /// `render` and `timer` are for tests: a render that blocks, a timer that fires when the test says.
    public init(limit: Duration = .seconds(5), render: @escaping @Sendable (ChartSpec) throws -> Data = ChartRenderer.png,
                timer: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.limit = limit
        self.renderer = render
        self.timer = timer
    }

    /// The chart as PNG bytes, or `ChartTimeout` once it took longer than `limit`.
    public func render(_ spec: ChartSpec) async throws -> Data {
        let renderer = self.renderer
        return try await draw(spec.instrument) { try renderer(spec) }
    }

    /// The PNG `body` draws, on the chart thread under the same turn and limit as a chart; `what` names it in a timeout.
    public func draw(_ what: Instrument, _ body: @escaping @Sendable () throws -> Data) async throws -> Data {
        // One job at a time, so the limit counts drawing time, not time queued behind another chart.
        // A caller given up while queued (its handler's time limit, a shutdown) leaves without drawing.
        try await takeTurn()
        drawingSince = .now
        defer {
            drawingSince = nil
            passTurn()
        }
        try Task.checkCancellation()
        guard stuck < Self.maxStuck else { throw ChartTimeout(instrument: what, limit: limit, unavailable: true) }
        let lane = self.lane, timer = self.timer, limit = self.limit
        let job = Task { try await lane.run(body) }
        let first = FirstOutcome<Result<Data, any Error>?>()
        let watch = Task { first.offer(await job.result) }
        let clock = Task {
            try await timer(limit)
            first.offer(nil)
        }
        let outcome = await first.value()
        clock.cancel()
        if let outcome { return try outcome.get() }
        self.lane = idleLanes.popLast() ?? ChartLane()
        stuck += 1
        Task {
            await watch.value
            self.returned(lane)
        }
        throw ChartTimeout(instrument: what, limit: limit, unavailable: false)
    }

    /// What keeps the worker from drawing, for the readiness test: renders stuck past their limit up to
    /// `maxStuck`, or a render running far past its limit (the worker itself wedged); nil when it can draw.
    public func problem(now: ContinuousClock.Instant = .now) -> String? {
        if stuck >= Self.maxStuck { return "\(stuck) chart renders are stuck in cairo; charts are refused" }
        if let drawingSince, drawingSince.duration(to: now) > limit * 2 + .seconds(30) {
            return "a chart has been drawing for \(drawingSince.duration(to: now).components.seconds) s (limit \(limit))"
        }
        return nil
    }

    private func returned(_ lane: ChartLane) {
        stuck -= 1
        idleLanes.append(lane)
    }

    private func takeTurn() async throws {
        guard busy else {
            busy = true
            return
        }
        nextTicket += 1
        let ticket = nextTicket
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting.append((ticket, continuation))
                }
            }
        } onCancel: {
            Task { await self.leaveQueue(ticket) }
        }
    }

    /// A cancelled caller's place in the queue is given up; if it already had the turn, it passes it on itself.
    private func leaveQueue(_ ticket: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    private func passTurn() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().continuation.resume() }
    }
}

/// One chart thread: an actor whose jobs run on a `ThreadExecutor` of its own.
private actor ChartLane {
    private let executor = ThreadExecutor(name: "charts")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    func run(_ body: @Sendable () throws -> Data) throws -> Data { try body() }
}

/// The first value offered; later offers are dropped.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private struct State {
        var waiter: CheckedContinuation<Value, Never>?
        var value: Value?
        var settled = false
    }

    private let state = Mutex(State())

    func offer(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>? = state.withLock { state in
            guard !state.settled else { return nil }
            state.settled = true
            guard let waiter = state.waiter else {
                state.value = value
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: value)
    }

    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = state.withLock { state in
                if state.settled, let value = state.value { return value }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
