import Foundation

/// The built `pollbot` executable run as a child process, as systemd would run it.
public final class BotProcess: @unchecked Sendable {
    private let process = Process()
    public let logPath: String

    /// The `pollbot` binary next to the test bundle (built by `swift build --build-tests`).
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pollbot")
    }

    /// Starts `pollbot --config configPath`; output goes to `logPath`.
    public init(configPath: String, logPath: String, environment: [String: String] = [:]) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.executableURL = Self.executable
        process.arguments = ["--config", configPath]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends a signal (SIGKILL for a crash, SIGTERM for a systemd stop).
    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for exit, at most `timeout`; returns the exit status, or nil if still running.
    public func waitForExit(timeout: Duration = .seconds(15)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The output so far.
    public var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
