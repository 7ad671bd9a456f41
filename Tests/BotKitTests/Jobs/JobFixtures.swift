@testable import BotKit
import Foundation
import Logging
import Synchronization
import TestSupport

/// Counts its runs in its parameters and says each run (and whether it was late) in one message to chat 7.
struct CountingJob: JobKind {
    struct Parameters: Codable, Sendable { var runs = 0 }
    static let name = "counting"

    static func run(_ parameters: Parameters, context: JobContext<NoServices>) async throws -> JobResult<Parameters> {
        let runs = parameters.runs + 1
        let late = context.isLate ? " late by \(Int(context.lateness)) s" : ""
        return JobResult(messages: [.text("run \(runs)\(late)", to: 7)], parameters: Parameters(runs: runs))
    }
}

/// Always throws, like a broker that keeps refusing.
struct FailingJob: JobKind {
    struct Parameters: Codable, Sendable {}
    static let name = "failing"

    static func run(_ parameters: Parameters, context: JobContext<NoServices>) async throws -> JobResult<Parameters> {
        throw JobFailure("broker unreachable")
    }
}

/// Marks itself in `meta` inside the commit, and then refuses the commit when its parameters say so.
struct MarkingJob: JobKind {
    struct Parameters: Codable, Sendable { var refuse: Bool }
    static let name = "marking"

    static func run(_ parameters: Parameters, context: JobContext<NoServices>) async throws -> JobResult<Parameters> {
        JobResult(messages: [.text("marked", to: 7)]) { store in
            try store.setMeta("marked", "yes")
            if parameters.refuse { throw JobFailure("disk full while marking") }
        }
    }
}

/// Waits at the gate its parameters name, which the test opens, ignoring cancellation: a broker call that hangs.
/// Each test names its own gate, so tests that run in parallel never share one.
struct GatedJob: JobKind {
    struct Parameters: Codable, Sendable { var gate: String }
    static let name = "gated"
    private static let gates = Mutex<[String: HoldGate]>([:])

    static func gate(_ name: String) -> HoldGate {
        gates.withLock { gates in
            if let gate = gates[name] { return gate }
            let gate = HoldGate()
            gates[name] = gate
            return gate
        }
    }

    static func run(_ parameters: Parameters, context: JobContext<NoServices>) async throws -> JobResult<Parameters> {
        await gate(parameters.gate).pass()
        return JobResult(messages: [.text("\(parameters.gate) done", to: 7)])
    }
}

/// A store and scheduler on a real SQLite file with a manual clock; `restart` opens both again on the same file.
struct JobRig {
    let directory: TemporaryDirectory
    let clock: ManualDate
    let logs = LogCapture()
    var store: BotStore
    var scheduler: JobScheduler<NoServices>
    let windows: [String: @Sendable (Date) -> Bool]
    let settings: JobSettings

    static let kinds: [any JobKind<NoServices>.Type] = [CountingJob.self, FailingJob.self, MarkingJob.self, GatedJob.self]

    init(directory: TemporaryDirectory, start: Date = Date(timeIntervalSince1970: 1_767_000_000),
         windows: [String: @Sendable (Date) -> Bool] = [:], settings: JobSettings = JobSettings()) throws {
        self.directory = directory
        clock = ManualDate(start)
        self.windows = windows
        self.settings = settings
        store = try BotStore(path: directory.file("jobs.sqlite3"))
        scheduler = Self.scheduler(store: store, clock: clock, windows: windows, settings: settings, logs: logs)
    }

    static func scheduler(store: BotStore, clock: ManualDate, windows: [String: @Sendable (Date) -> Bool],
                          settings: JobSettings, logs: LogCapture) -> JobScheduler<NoServices> {
        JobScheduler(store: store, registry: JobRegistry(kinds), services: NoServices(), windows: windows, settings: settings,
                     logger: logs.logger("jobs"), now: { clock.now })
    }

    /// The process after a restart: a new store and scheduler on the same file (the clock goes on).
    mutating func restart() throws {
        store = try BotStore(path: directory.file("jobs.sqlite3"))
        scheduler = Self.scheduler(store: store, clock: clock, windows: windows, settings: settings, logs: logs)
    }

    /// Schedules on the rig's clock.
    func schedule<K: JobKind>(_ kind: K.Type, key: String, parameters: K.Parameters, schedule: JobSchedule) async throws {
        try await store.scheduleJob(kind, key: key, parameters: parameters, schedule: schedule, now: clock.now)
    }

    /// The texts queued in the outbox, in order.
    func queued() async throws -> [String] {
        try await store.pendingOutbox().map { item in
            let json = try JSONSerialization.jsonObject(with: item.message.payload) as? [String: Any]
            return json?["text"] as? String ?? ""
        }
    }
}

/// A window the test opens and closes.
final class WindowSwitch: Sendable {
    private let state = Mutex(false)
    var isOpen: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
