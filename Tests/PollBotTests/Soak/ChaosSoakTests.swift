import Foundation
import TestSupport
import Testing

/// The short chaos soak on the real `pollbot` binary: a few hundred updates, 5 SIGKILLs with restarts, random Telegram
/// and broker faults, 429 storms; every promise of the full soak (`make soak`) is checked.
@Suite(.serialized) struct ChaosSoakTests {
    @Test(.timeLimit(.minutes(3)))
    func theShortSoakKeepsEveryPromise() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: BotProcess.executable.path), "build pollbot first")
        let report = try await SoakDriver(plan: .short).run()
        print(report.text)
        #expect(report.violations.isEmpty, "\(report.violations)")
        // The soak must have exercised what it checks, or a pass proves nothing.
        let figures = Dictionary(report.figures.map { ($0.name, $0.value) }) { first, _ in first }
        #expect(figures["kills (SIGKILL + restart)"] == "5")
        #expect(figures["429 with retry_after given"].flatMap { Int($0) } ?? 0 > 0)
        #expect(figures["orders at the fake / placed intents"].map { !$0.hasPrefix("0 ") } == true, "no order was placed")
        #expect(figures["alerts armed / rows / fired"].map { !$0.hasPrefix("0 ") } == true, "no alert was armed")
    }
}
