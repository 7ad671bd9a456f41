import Foundation
import Synchronization

/// The bot process of a soak: started, killed with SIGKILL and started again on the same files, and stopped with SIGTERM.
final class SoakBot: Sendable {
    private let configPath: String
    private let directory: TemporaryDirectory
    private let executable: URL
    private let state = Mutex<(process: BotProcess?, kills: Int, restarts: Int)>((nil, 0, 0))

    init(configPath: String, directory: TemporaryDirectory, executable: URL) {
        self.configPath = configPath
        self.directory = directory
        self.executable = executable
    }

    var kills: Int { state.withLock { $0.kills } }
    /// Starts after the first that were not after a kill (the process had exited on its own).
    var restarts: Int { state.withLock { $0.restarts } }

    func start() throws {
        let run = state.withLock { $0.kills + $0.restarts }
        // POLLBOT_SOAK_LOG_LEVEL=debug shows each delivery in the runN.log files when a soak has to be looked into.
        let level = ProcessInfo.processInfo.environment["POLLBOT_SOAK_LOG_LEVEL"] ?? "warning"
        let process = try BotProcess(configPath: configPath, logPath: directory.file("run\(run).log"),
                                     environment: ["POLLBOT_LOG_LEVEL": level], executable: executable)
        state.withLock { $0.process = process }
    }

    /// SIGKILL, `downtime`, then `beforeStart` and a new process: what the dead process heard up to its end (a 429 answered
    /// to a request it had in flight) is behind it by then.
    func killAndRestart(downtime: Duration, beforeStart: () async -> Void = {}) async throws {
        if let process = state.withLock({ $0.process }) {
            process.signal(SIGKILL)
            _ = await process.waitForExit()
        }
        state.withLock { $0.kills += 1 }
        try? await Task.sleep(for: downtime)
        await beforeStart()
        try start()
    }

    /// Starts the bot again if it exited by itself (which the soak reports); true when it did.
    func restartIfDead() async throws -> Bool {
        guard let process = state.withLock({ $0.process }), !process.isRunning else { return false }
        state.withLock { $0.restarts += 1 }
        try start()
        return true
    }

    /// SIGTERM, as systemd stops it; the exit status (nil: still running after 30 s, then killed).
    func stop() async -> Int32? {
        guard let process = state.withLock({ $0.process }) else { return nil }
        process.signal(SIGTERM)
        let status = await process.waitForExit(timeout: .seconds(30))
        if status == nil { process.signal(SIGKILL) }
        return status
    }

    func killIfRunning() {
        if let process = state.withLock({ $0.process }), process.isRunning { process.signal(SIGKILL) }
    }
}
