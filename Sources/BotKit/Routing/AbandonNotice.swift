/// What a user is told when the bot gives up their update: a crash loop or the handler time limit.
///
/// Only the command name is repeated, never its arguments: a /link message
/// carries a secret until its handler has run. A message that carried a
/// secret is deleted with the notice, since its own handler, which would have
/// deleted it, never finished.
enum AbandonNotice {
    /// The user's words for what they sent ("/positions", "button press", "message"), not yet escaped;
    /// nil for updates nobody is waiting on (chat membership changes).
    static func subject(of update: Update) -> String? {
        if let message = update.message {
            let text = message.text ?? ""
            guard text.hasPrefix("/") else { return "message" }
            let command = text.dropFirst().prefix { !$0.isWhitespace }.split(separator: "@", maxSplits: 1).first ?? ""
            // Only a name of a command's shape is repeated: "/" followed by a pasted key is not a name to echo.
            guard command.wholeMatch(of: /[A-Za-z0-9_]{1,32}/) != nil else { return "command" }
            return "/" + command.lowercased()
        }
        if update.editedMessage != nil { return "edited message" }
        if update.callbackQuery != nil { return "button press" }
        return nil
    }

    /// "Your /positions could not be completed (error id …); it was not retried."
    static func notRetried(_ update: Update, errorID: String, removal: SecretGuard.Removal? = nil) -> [OutgoingMessage] {
        message(update, removal: removal) { "Your \($0) could not be completed (error id <code>\(errorID)</code>); it was not retried." }
    }

    /// "Your /chart took longer than 60 s and was stopped (error id …)."
    static func timedOut(_ update: Update, limit: Duration, errorID: String, removal: SecretGuard.Removal? = nil) -> [OutgoingMessage] {
        message(update, removal: removal) { "Your \($0) took longer than \(describe(limit)) and was stopped (error id <code>\(errorID)</code>)." }
    }

    /// "60 s", "1.5 s", "200 ms".
    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.wholeMilliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
    }

    /// `removal` takes a message that carried a secret out of the chat with the notice (its own handler never did).
    private static func message(_ update: Update, removal: SecretGuard.Removal?, _ phrase: (String) -> String) -> [OutgoingMessage] {
        guard let chatID = update.chatID, let subject = subject(of: update) else { return [] }
        let notice = phrase(HTML.escape(subject))
        guard let removal else { return [.text(notice, to: chatID)] }
        return removal.replies + [.text(notice + "\n\n" + removal.note, to: chatID)]
    }
}
