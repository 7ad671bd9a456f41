import Foundation

/// A command found at the start of a message.
public struct ParsedCommand: Sendable, Equatable {
    /// Lowercased name without slash or `@bot`.
    public var name: String
    /// The text after the command.
    public var arguments: String
    /// The command as typed, without `@bot`, for replies.
    public var typed: String
}

/// Finds the command of a message: a `bot_command` entity at offset 0.
public enum CommandParser {
    /// The command, or nil when there is none or it is addressed to another bot.
    public static func parse(_ message: Message, botUsername: String) -> ParsedCommand? {
        guard let text = message.text,
              let entity = message.entities?.first(where: { $0.type == "bot_command" && $0.offset == 0 }),
              entity.length > 1
        else { return nil }
        // Entity offsets count UTF-16 code units.
        let utf16 = text.utf16
        guard entity.length <= utf16.count,
              let end = utf16.index(utf16.startIndex, offsetBy: entity.length, limitedBy: utf16.endIndex),
              let commandEnd = end.samePosition(in: text)
        else { return nil }
        let token = text[text.index(after: text.startIndex)..<commandEnd]
        let parts = token.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].lowercased() != botUsername.lowercased() { return nil }
        let name = parts[0].lowercased()
        let arguments = text[commandEnd...].trimmingCharacters(in: .whitespacesAndNewlines)
        return ParsedCommand(name: name, arguments: arguments, typed: "/" + parts[0])
    }
}
