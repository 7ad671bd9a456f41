import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// Every order action lands in the audit, and `pollbot orders` prints it without secrets.
@Suite struct OrderAuditTests {
    @Test func pollbotOrdersPrintsEveryActionTabSeparated() async throws {
        let rig = try await OrderDeskFixture.make()
        _ = try await rig.confirm(try #require(try await rig.propose().id))
        let expired = try #require(try await rig.propose(OrderDeskFixture.draft(3)).id)
        _ = try await rig.confirm(expired, after: 120)
        let configPath = rig.directory.file("bot.toml")
        try """
            [telegram]
            token = "123456:TEST"
            [storage]
            path = "\(rig.directory.file("pollbot.sqlite3"))"
            [security]
            key_file = "\(rig.directory.file("master.key"))"
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let listing = try BotProcess(configPath: configPath, logPath: rig.directory.file("orders.log"),
                                     arguments: ["orders", "--days", "1", "--config", configPath])
        #expect(await listing.waitForExit() == 0)
        let lines = listing.output.split(separator: "\n").map(String.init)
        #expect(lines.first == OrderAuditReport.header)
        let events = lines.dropFirst().map { $0.split(separator: "\t").map(String.init)[3] }
        #expect(events == ["preview", "confirm", "placement", "result", "preview", "expired"])
        #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 7 })
        #expect(lines.contains { $0.contains("\t\(OrderDeskFixture.user)\tmain\tplacement\tBUY 10 RELIANCE NSE MARKET CNC\torder 25110700") })
        #expect(!listing.output.contains(BrokerRig.apiKey))
        let refused = try BotProcess(configPath: configPath, logPath: rig.directory.file("bad.log"),
                                     arguments: ["orders", "--days", "0", "--config", configPath])
        #expect(await refused.waitForExit() == 64)
        await rig.close()
    }
}
