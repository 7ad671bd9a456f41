import BotKit
@testable import PollBot
import Foundation
import TestSupport
import Testing

/// `pollbot demo` as a newcomer runs it, with a scripted session on standard input.
@Suite struct DemoSessionTests {
    @Test func aScriptedSessionRunsTheWholeBotOffline() async throws {
        let process = Process()
        process.executableURL = BotProcess.executable
        process.arguments = ["demo"]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data("/start\n/funds\n/positions\n/menu\n3\n2\n9\n/link abcdefgh12345\nquit\n".utf8))
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning)
        if process.isRunning { process.terminate() }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(!text.contains("\u{1B}["))  // NO_COLOR: no escape codes

        // Each input is echoed, then the bot's reply follows before the next one.
        func reply(to input: String) -> String {
            guard let start = text.range(of: "you> \(input)\n") else { return "" }
            let rest = text[start.upperBound...]
            return String(rest[..<(rest.range(of: "you> ")?.lowerBound ?? rest.endIndex)])
        }
        #expect(reply(to: "/start").contains("Hello, Demo!"))
        let funds = reply(to: "/funds")
        #expect(funds.contains("Funds \u{00B7} paper \u{00B7} DEMO (paper broker)"))
        #expect(funds.contains("Available cash") && funds.contains("\u{20B9}"))
        let positions = reply(to: "/positions")
        #expect(positions.contains("RELIANCE NSE MIS\n") && positions.contains("LONG 50 @ "))
        #expect(positions.contains("SBIN NSE MIS\n") && positions.contains("SHORT 100 @ "))
        #expect(positions.contains("Closed today 1"))
        let menu = reply(to: "/menu")
        #expect(menu.contains("[1] Funds  [2] P&L  [3] Positions"))
        #expect(menu.contains("[7] \u{21BB} Refresh"))
        let picked = reply(to: "3")
        #expect(picked.hasPrefix("bot (edits its message)>"))
        #expect(picked.contains("Positions \u{00B7} paper \u{00B7} DEMO") && picked.contains("[1] \u{21BB} Refresh  [2] \u{00AB} Back"))
        #expect(reply(to: "2").contains("[4] Holdings  [5] Orders  [6] Trades"))  // Back to the menu
        #expect(reply(to: "9").contains("(there is no button 9 to pick)"))
        let link = reply(to: "/link abcdefgh12345")
        #expect(link.contains("(your message was deleted from the chat: it carried a secret)"))
        #expect(link.contains("This bot runs the paper broker (DEMO)"))
    }
}
