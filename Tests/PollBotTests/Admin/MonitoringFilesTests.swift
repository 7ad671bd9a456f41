import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The alert rules and the Grafana dashboards in etc/ use only series the bot exports: every `pollbot_…` name they
/// mention is a family in a real bot's /metrics, and promtool accepts the rules and their unit tests where it is installed.
@Suite struct MonitoringFilesTests {
    static let etc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("etc")

    static var monitoringFiles: [URL] {
        let dashboards = (try? FileManager.default.contentsOfDirectory(at: etc.appendingPathComponent("grafana"),
                                                                       includingPropertiesForKeys: nil)) ?? []
        return [etc.appendingPathComponent("pollbot.rules.yml")] + dashboards.filter { $0.pathExtension == "json" }
    }

    /// Every `pollbot_…` series name a file mentions (recording rules are `pollbot:…`, so they are not matched).
    static func names(in text: String) -> Set<String> {
        Set(text.matches(of: /pollbot_[a-z0-9_]+/).map { String($0.output) })
    }

    @Test func thereAreThreeDashboardsAndTheyAreGrafanaJSON() throws {
        let dashboards = Self.monitoringFiles.filter { $0.pathExtension == "json" }
        #expect(Set(dashboards.map(\.lastPathComponent))
                == ["pollbot-bot-health.json", "pollbot-user-engagement.json", "pollbot-infrastructure.json"])
        for file in dashboards {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            let panels = try #require(object["panels"] as? [[String: Any]], "\(file.lastPathComponent) has no panels")
            #expect(panels.count >= 8, "\(file.lastPathComponent)")
            for panel in panels {
                let targets = try #require(panel["targets"] as? [[String: Any]])
                #expect(!targets.isEmpty && targets.allSatisfy { ($0["expr"] as? String)?.isEmpty == false }, "\(panel["title"] ?? "")")
            }
        }
    }

    @Test func everySeriesTheRulesAndDashboardsUseIsExported() async throws {
        let rig = try await BrokerRig.make(sections: "[admin]\nlisten = \"127.0.0.1:0\"\n")
        let alice = FakeUser(id: 1001, firstName: "Alice")
        // Broker calls (the second from the cache), commands (latency histograms) and an alert.
        await rig.ask("/link \(BrokerRig.apiKey)", from: alice)
        await rig.ask("/funds", from: alice)
        await rig.ask("/funds", from: alice)
        await rig.ask("/alert RELIANCE above 99999", from: alice)
        let deadline = ContinuousClock.now + .seconds(5)
        while (try? await rig.harness.bot.adminPort()) == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let port = try #require(try await rig.harness.bot.adminPort())
        let page = try await AdminScrape.get("/metrics", port: port)
        await rig.harness.shutdown()
        let families = Set(page.body.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count >= 3 && words[0] == "#" && words[1] == "TYPE" ? String(words[2]) : nil
        })
        #expect(families.contains("pollbot_commands_total"), "\(page.body.prefix(400))")
        for file in Self.monitoringFiles {
            for name in Self.names(in: try String(contentsOf: file, encoding: .utf8)) {
                let family = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) && families.contains(String(name.dropLast($0.count))) }
                    .map { String(name.dropLast($0.count)) } ?? name
                #expect(families.contains(family), "\(file.lastPathComponent) uses \(name), which /metrics does not export")
            }
        }
    }

    @Test func promtoolAcceptsTheRulesAndTheirUnitTests() throws {
        guard let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile)
        else { return }
        for arguments in [["check", "rules", "pollbot.rules.yml"], ["test", "rules", "pollbot.rules.test.yml"],
                          ["check", "config", "prometheus.yml"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = arguments
            process.currentDirectoryURL = Self.etc
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool \(arguments.joined(separator: " ")):\n\(text)")
        }
    }
}
