import Foundation
import TestSupport
import Testing

/// `make install` into a DESTDIR with the already built debug binary (BINARY=), so no release build runs here.
@Suite struct InstallTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs `make install` with these variables; returns the exit status and the output.
    static func makeInstall(destination: String, binary: String = BotProcess.executable.path) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/make")
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.arguments = ["--no-print-directory", "install", "DESTDIR=\(destination)", "PREFIX=/usr", "BINARY=\(binary)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int).flatMap { $0 }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/make"), "make is not installed"))
    func installsTheTreeAndNeverOverwritesAnEditedConfig() throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let destination = try TemporaryDirectory("pollbot-install")
        defer { destination.remove() }
        let first = try Self.makeInstall(destination: destination.path)
        #expect(first.status == 0, "\(first.output)")

        let binary = destination.file("usr/bin/pollbot")
        #expect(FileManager.default.contentsEqual(atPath: binary, andPath: BotProcess.executable.path))
        #expect(Self.mode(binary) == 0o755)
        let unit = try String(contentsOfFile: destination.file("etc/systemd/system/pollbot.service"), encoding: .utf8)
        #expect(unit.contains("\nExecStart=/usr/bin/pollbot --config /etc/pollbot/bot.toml\n"))
        #expect(!unit.contains("/usr/local/bin"))
        #expect(unit.contains("#LoadCredential=master-key:/etc/pollbot/master.key"))
        let config = destination.file("etc/pollbot/bot.toml")
        #expect(Self.mode(config) == 0o640)
        #expect(Self.mode(destination.file("etc/pollbot")) == 0o750)
        #expect(FileManager.default.contentsEqual(atPath: config, andPath: Self.root + "/etc/bot.example.toml"))
        for doc in ["README.md", "RUNBOOK.md", "ARCHITECTURE.md", "BENCHMARKS.md"] {
            #expect(FileManager.default.fileExists(atPath: destination.file("usr/share/doc/pollbot/\(doc)")), "\(doc)")
        }
        // Never a key, and with a DESTDIR never the system user or /var/lib.
        #expect(!FileManager.default.fileExists(atPath: destination.file("etc/pollbot/master.key")))
        #expect(!FileManager.default.fileExists(atPath: destination.file("var")))
        #expect(first.output.contains("pollbot keygen --out /etc/pollbot/master.key"))
        #expect(first.output.contains("systemctl enable --now pollbot"))

        let edited = "# the operator's own config\n"
        try edited.write(toFile: config, atomically: false, encoding: .utf8)
        let second = try Self.makeInstall(destination: destination.path)
        #expect(second.status == 0, "\(second.output)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == edited)
        #expect(second.output.contains("kept \(config)"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/make"), "make is not installed"))
    func refusesAMissingBinary() throws {
        let destination = try TemporaryDirectory("pollbot-install")
        defer { destination.remove() }
        let result = try Self.makeInstall(destination: destination.path, binary: destination.file("none"))
        #expect(result.status != 0)
        #expect(result.output.contains("is not an executable"))
        #expect(!FileManager.default.fileExists(atPath: destination.file("usr/bin/pollbot")))
    }
}
