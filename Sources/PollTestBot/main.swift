import BotKit
import PollBot
import Foundation
import Logging

// `PollTestBot --config FILE`: the real Bot with the standard commands plus /trap, for process tests.
// Kept out of the `pollbot` binary so that production carries no way to crash it on purpose.

/// `/trap`: the process dies inside a handler, as a bug in a handler would kill it.
struct TrapCommand: Command {
    static let name = "trap"
    static let summary = "Crashes the bot (process tests only)"
    init(arguments: inout ArgumentScanner) throws {}
    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        fatalError("trap command: a handler crashed")
    }
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = ProcessInfo.processInfo.environment["POLLBOT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return handler
}
let arguments = CommandLine.arguments
guard let flag = arguments.firstIndex(of: "--config"), flag + 1 < arguments.count else {
    FileHandle.standardError.write(Data("usage: PollTestBot --config FILE\n".utf8))
    exit(64)
}
let config: BotConfig
do {
    config = try ConfigLoader.load(path: arguments[flag + 1])
} catch {
    FileHandle.standardError.write(Data("PollTestBot: \(error)\n".utf8))
    exit(78)
}
exit(await TraderApp.main(config: config, logger: Logger(label: "pollbot"), registry: TraderApp.registry.adding([TrapCommand.self])))
