import BotKit
import Foundation
import Logging

/// `pollbot demo`: the whole bot, offline, in a terminal.
///
/// The real bot runs (poller, router, handlers, store, outbox, sender) with
/// the paper broker, a database and master key in a temporary directory, and
/// `DemoTelegram` in place of the network. Each line typed becomes an update;
/// the next prompt appears once the bot has answered it.
public enum DemoSession {
    /// Runs until end of input or "quit"; returns the exit code.
    public static func run(interactive: Bool, ansi: Bool, output: @escaping @Sendable (String) -> Void,
                           prompt: @escaping @Sendable () -> Void = {}) async -> Int32 {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pollbot-demo-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let demo: DemoBot
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            let telegram = DemoTelegram(renderer: TerminalRenderer(ansi: ansi),
                                        photoDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("pollbot-demo-photos").path,
                                        output: output)
            var logger = Logger(label: "pollbot")
            logger.logLevel = .error
            demo = try DemoBot(directory: directory, telegram: telegram, logger: logger)
        } catch {
            output("pollbot demo could not start: \(error)")
            return 1
        }
        let bot = demo.bot
        let running = Task { try await bot.run() }
        output("""
            pollbot demo: the whole bot, offline. The paper broker makes up prices and a simulated account, so every reply says DEMO.
            Type as you would in Telegram: /start, /help, /funds, /positions, /quote RELIANCE, /menu ...
            A number picks a button of the last message with buttons. "quit" or Ctrl-D ends the demo.
            The demo has its own clock: /demo_time +30m moves it (and the paper prices) forward. An alert a little above the
            price (/quote RELIANCE, then /alert RELIANCE above that plus 0.1%) usually fires within a few +30m steps; on a
            day that drifts down, /demo_time +1d moves to the next session.
            \(demo.marketStatus)
            """)
        if interactive { prompt() }
        for await line in lines() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if !interactive { output("you> \(text)") }
            if text == "quit" || text == "exit" { break }
            if !text.isEmpty {
                if await !demo.send(text) { output("      (there is no button \(text) to pick)") }
            }
            if interactive { prompt() }
        }
        await bot.requestStop()
        _ = try? await running.value
        return 0
    }

    /// Standard input line by line, read on its own thread: readLine blocks, and must not hold a concurrency-pool thread.
    private static func lines() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let thread = Thread {
            while let line = readLine(strippingNewline: true) { continuation.yield(line) }
            continuation.finish()
        }
        thread.name = "demo-stdin"
        thread.start()
        return stream
    }
}
