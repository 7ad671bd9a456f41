import Foundation

/// /help: built from the registered commands and their help lines.
struct HelpCommand: Command {
    static let name = "help"
    static let summary = "List the commands, or explain one: /help NAME"
    static let usage = "/help [COMMAND]"

    let topic: String?

    init(arguments: inout ArgumentScanner) throws {
        topic = arguments.optionalWord().map { $0.trimmingCharacters(in: ["/"]).lowercased() }
    }

    func run(in context: CommandContext) async throws -> [OutgoingMessage] {
        let registry = context.services.registry
        if let topic {
            guard let command = registry.command(named: topic) else {
                return context.reply("There is no command /\(html: topic). Send /help for the list.")
            }
            var text = "<b>/\(command.name)</b>: \(HTML.escape(command.summary))\nUsage: <code>\(HTML.escape(command.usage))</code>"
            if let details = command.details { text += "\n\n" + HTML.escape(details) }
            return context.reply(text)
        }
        let lines = registry.commands.map { "/\($0.name) \u{2014} \(HTML.escape($0.summary))" }
        return context.reply("<b>Commands</b>\n" + lines.joined(separator: "\n") + "\n\nSend /help NAME for details on one.")
    }
}
