import Foundation

/// A built executable of this package (`pollbot` by default) run as a child process, as systemd would run it.
public final class BotProcess: @unchecked Sendable {
    private let process = Process()
    public let logPath: String

    /// The `pollbot` binary next to the test bundle (built by `swift build --build-tests`).
    public static var executable: URL { binary("pollbot") }

    /// The executable `name` next to the test bundle, such as `PollTestBot`.
    public static func binary(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Starts `executable --config configPath`, or `executable arguments` when given; output goes to `logPath`.
    public init(configPath: String, logPath: String, environment: [String: String] = [:], executable: URL = BotProcess.executable,
                arguments: [String]? = nil) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.executableURL = executable
        process.arguments = arguments ?? ["--config", configPath]
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

    /// Waits for exit, at most `timeout`; returns the exit status (the signal number after a crash), or nil if still running.
    public func waitForExit(timeout: Duration = .seconds(15)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The output so far.
    public var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the output contains `text`, at most `timeout`; returns whether it did.
    @discardableResult
    public func waitForOutput(_ text: String, timeout: Duration = .seconds(15)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !output.contains(text), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return output.contains(text)
    }
}
