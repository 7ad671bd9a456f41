/// What the app makes of plain text in a private chat that no open conversation took.
public enum PlainTextAnswer: Sendable, Equatable {
    /// Run this command line (e.g. "/quote TCS INFY") exactly as if the user had typed it: same parsing, same log row.
    case run(String)
    /// Answer with this HTML and run nothing.
    case reply(String)
}

/// The app's reading of plain text; it gets the context a command would, so it may look at the user's state.
public typealias PlainTextReader<Services: Sendable> = @Sendable (String, CommandContext<Services>) async -> PlainTextAnswer

/// A command the handler ran on behalf of plain text, so that `CommandLogStep` logs it as if it had been typed.
public struct TranslatedCommand: Sendable, Equatable {
    public var parsed: ParsedCommand
    public var traits: CommandTraits
}

extension ParsedCommand {
    /// The command of a line such as "/quote TCS INFY" the app wrote itself; nil when it does not start with "/NAME".
    static func line(_ line: String) -> ParsedCommand? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("/") else { return nil }
        let token = trimmed.prefix { !$0.isWhitespace }
        let name = token.dropFirst().lowercased()
        guard name.wholeMatch(of: /[a-z0-9_]{1,32}/) != nil else { return nil }
        let arguments = trimmed.dropFirst(token.count).trimmingCharacters(in: .whitespacesAndNewlines)
        return ParsedCommand(name: name, arguments: arguments, typed: String(token))
    }
}
