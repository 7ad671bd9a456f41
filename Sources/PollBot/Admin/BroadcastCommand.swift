import BotKit
import Foundation

/// /broadcast TEXT: an admin's announcement to every user of the bot, previewed with its recipient count and sent only
/// after a Confirm; each user's announcements level applies.
struct BroadcastCommand: Command {
    static let name = "broadcast"
    static let summary = "Admins: send an announcement to every user"
    static let usage = "/broadcast TEXT"
    static let privateOnly = true
    /// Telegram's limit is 4096 UTF-16 units (an emoji or a Devanagari conjunct is several); room is left for the heading.
    static let maxLength = 3500
    /// How long a preview can be confirmed.
    static let expiry: TimeInterval = 600

    init(arguments: inout ArgumentScanner) throws { _ = arguments.rest() }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        guard context.services.config.security.admins.contains(user.id) else {
            return context.reply("Only the bot's admins can broadcast.")
        }
        let text = Self.body(of: context.message.text ?? "")
        guard !text.isEmpty else {
            return context.reply("Nothing to send: write the announcement after the command, like <code>/broadcast Markets close early today</code>.")
        }
        // Counted as Telegram counts: by UTF-16 units, so the preview and every copy fit in one message.
        guard text.utf16.count <= Self.maxLength else {
            return context.reply("The announcement has \(text.utf16.count) characters as Telegram counts them; at most "
                                 + "\(Self.maxLength) go out. Shorten it and send it again.")
        }
        // Sent as plain text: tags an admin types arrive as written, never as markup that could break the message.
        let html = HTML.escape(text)
        let store = context.services.store
        let id = try await store.saveBroadcast(html: html, adminID: user.id, now: Date())
        let recipients = try await store.broadcastRecipients(excluding: user.id)
        let reaching = recipients.filter { $0.level != .off }.count
        let keyboard = InlineKeyboard([[
            .init("\u{2705} Confirm", data: BroadcastButtons.data(user.id, "send:\(id)")),
            .init("\u{2716} Cancel", data: BroadcastButtons.data(user.id, "cancel:\(id)")),
        ]])
        return context.reply("<b>Broadcast preview</b>: \(reaching) of \(recipients.count) users will get it "
                             + "(the rest turned announcements off). Confirm within 10 minutes.\n\n" + html, keyboard: keyboard)
    }

    /// The message after `/broadcast` (or `/broadcast@bot`), newlines kept, trimmed.
    static func body(of message: String) -> String {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let end = trimmed.firstIndex(where: \.isWhitespace) else { return "" }
        return trimmed[end...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
