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
        let bot: Bot<TraderServices>, telegram: DemoTelegram
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            _ = try MasterKey.generate(to: "\(directory)/master.key")
            let config = try ConfigLoader.parse("""
                [telegram]
                token = "1000000:offline-demo"
                api_url = "http://demo.invalid"
                poll_timeout = 1
                flood_limits = false
                [storage]
                path = "\(directory)/demo.sqlite3"
                [security]
                key_file = "\(directory)/master.key"
                [broker]
                kind = "paper"
                [limits]
                user_per_minute = 0
                global_per_second = 0
                [trading]
                # The demo trades on paper, at any hour: every order is previewed, checked and confirmed as a real one.
                enabled = true
                users = [\(DemoTelegram.userID)]
                market_hours_only = false
                """, fileName: "demo settings")
            telegram = DemoTelegram(renderer: TerminalRenderer(ansi: ansi),
                                    photoDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("pollbot-demo-photos").path,
                                    output: output)
            var logger = Logger(label: "pollbot")
            logger.logLevel = .error
            bot = try TraderApp.bot(config: config, logger: logger, telegram: telegram)
        } catch {
            output("pollbot demo could not start: \(error)")
            return 1
        }
        let running = Task { try await bot.run() }
        output("""
            pollbot demo: the whole bot, offline. The paper broker makes up prices and a simulated account, so every reply says DEMO.
            Type as you would in Telegram: /start, /help, /funds, /positions, /quote RELIANCE, /menu ...
            A number picks a button of the last message with buttons. "quit" or Ctrl-D ends the demo.
            """)
        if interactive { prompt() }
        for await line in lines() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if !interactive { output("you> \(text)") }
            if text == "quit" || text == "exit" { break }
            if !text.isEmpty {
                let updateID: Int64?
                if let number = Int(text) {
                    updateID = await telegram.press(number)
                    if updateID == nil { output("      (there is no button \(number) to pick)") }
                } else {
                    updateID = await telegram.type(text)
                }
                if let updateID { await waitUntilSettled(bot, updateID) }
            }
            if interactive { prompt() }
        }
        await bot.requestStop()
        _ = try? await running.value
        return 0
    }

    private static func waitUntilSettled(_ bot: Bot<TraderServices>, _ updateID: Int64) async {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, await !bot.isSettled(through: updateID) {
            try? await Task.sleep(for: .milliseconds(15))
        }
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
