import Foundation
import Testing

/// The systemd unit stays hardened: systemd's own scorer rates it, when it is installed.
@Suite struct UnitFileTests {
    static let unitFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/pollbot.service").path
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: analyze != nil, "systemd-analyze is not installed"))
    func systemdRatesTheUnitTwoOrLower() throws {
        let output = try Self.run(["security", "--offline=yes", "--no-pager", Self.unitFile])
        let match = try #require(output.firstMatch(of: #/Overall exposure level for pollbot\.service: ([0-9.]+)/#))
        let score = try #require(Double(match.1))
        #expect(score <= 2.0, "systemd-analyze security rates etc/pollbot.service \(score); keep it at 2.0 or lower")
    }

    @Test func theUnitKeepsCoreDumpsOffAndAllowsLockedMemory() throws {
        let text = try String(contentsOfFile: Self.unitFile, encoding: .utf8)
        let lines = Set(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(lines.contains("LimitCORE=0"))
        #expect(lines.contains { $0.hasPrefix("LimitMEMLOCK=") })
        #expect(lines.contains("CapabilityBoundingSet="))
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(analyze))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
