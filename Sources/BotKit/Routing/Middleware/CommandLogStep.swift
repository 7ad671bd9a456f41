import Foundation

/// Writes the command log row of every command, button press and secret-bearing message: what ran, for whom,
/// how it ended, how long it took; never more of the arguments than is safe to keep.
public struct CommandLogStep: UpdateMiddleware {
    let secrets: SecretPolicy

    public init(secrets: SecretPolicy) { self.secrets = secrets }

    public func after(_ request: UpdateRequest, _ response: inout RouterResponse) async {
        let command: String, arguments: String
        switch request.kind {
        case .button(let query):
            command = "button"
            // A modified client can put anything in 64 bytes of callback data, a secret included.
            arguments = query.data.map { secrets.looksSecret($0) ? "(redacted)" : $0 } ?? ""
        case .message(_, let typed):
            // Plain text the app read as a command is logged as that command, typed.
            let parsed = typed ?? response.translated?.parsed
            let traits = typed == nil ? response.translated?.traits : request.command
            guard parsed != nil || request.exposesSecret else { return }
            command = parsed.map { Self.loggedName($0, known: traits != nil) } ?? "text"
            // A message that carried a secret keeps only what its command checked; anything else keeps its words.
            let secret = request.exposesSecret || traits?.carriesSecret != false
            arguments = response.loggedArguments ?? (secret ? "" : parsed?.arguments ?? "")
        }
        response.log = CommandLogEntry(userID: request.from?.id, chatID: request.chatID, command: command, arguments: arguments,
                                       startedAt: request.startedAt,
                                       latencyMilliseconds: Int(request.started.duration(to: .now).wholeMilliseconds),
                                       outcome: response.outcome, errorID: response.errorID)
    }

    /// The command as the log and replies name it: an unknown one only when it has the shape of a command name
    /// (at most 32 of a-z, 0-9, _), so that a secret typed after the slash is never kept or repeated.
    public static func loggedName(_ parsed: ParsedCommand, known: Bool) -> String {
        if known || parsed.name.wholeMatch(of: /[a-z0-9_]{1,32}/) != nil { return parsed.typed.lowercased() }
        return "/(unknown)"
    }
}
