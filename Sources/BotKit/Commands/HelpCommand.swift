import Foundation

/// /help: built from the registered commands and their help lines; the same for every app.
public struct HelpCommand<Services: Sendable>: Command {
    public static var name: String { "help" }
    public static var summary: String { "List the commands, or explain one: /help NAME" }
    public static var usage: String { "/help [COMMAND]" }

    let topic: String?

    public init(arguments: inout ArgumentScanner) throws {
        topic = arguments.optionalWord().map { $0.trimmingCharacters(in: ["/"]).lowercased() }
    }

    public func run(in context: CommandContext<Services>) async throws -> [OutgoingMessage] {
        let help = context.bot.help
        if let topic {
            guard let command = help.first(where: { $0.name == topic }) else {
                return context.reply("There is no command /\(html: topic). Send /help for the list.")
            }
            var text = "<b>/\(command.name)</b>: \(HTML.escape(command.summary))\nUsage: <code>\(HTML.escape(command.usage))</code>"
            if let details = command.details { text += "\n\n" + HTML.escape(details) }
            return context.reply(text)
        }
        let lines = help.map { "/\($0.name) \u{2014} \(HTML.escape($0.summary))" }
        var text = "<b>Commands</b>\n" + lines.joined(separator: "\n") + "\n\nSend /help NAME for details on one."
        if !context.bot.phrases.isEmpty {
            text += "\n\n<b>Or just type</b>\n" + context.bot.phrases.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: "\n")
        }
        return context.reply(text)
    }
}
