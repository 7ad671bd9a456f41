import Foundation
import Logging

/// Turns one update into the replies it deserves: commands, button presses, plain text.
public struct UpdateRouter: Sendable {
    public let services: BotServices
    /// A command older than this when first seen is not run (the bot was offline).
    public let staleAfter: TimeInterval
    /// Time zone for times shown to users.
    public let timeZone: TimeZone

    public init(services: BotServices, staleAfter: TimeInterval, timeZone: TimeZone = .current) {
        self.services = services
        self.staleAfter = staleAfter
        self.timeZone = timeZone
    }

    private var logger: Logger { services.logger }

    /// The replies for one inbox item; never throws (a failure becomes a reply with an error id).
    public func handle(_ item: InboxItem) async -> [OutgoingMessage] {
        let update = item.update
        if let message = update.message {
            return await handle(message, receivedAt: item.receivedAt)
        }
        if update.editedMessage != nil {
            // An edit must never re-run a command (an edited /closeall would close again).
            return []
        }
        if let query = update.callbackQuery {
            return handle(query)
        }
        if let change = update.myChatMember {
            await handle(change)
        }
        return []
    }

    private func handle(_ message: Message, receivedAt: Date) async -> [OutgoingMessage] {
        let chatID = message.chat.id
        guard let parsed = CommandParser.parse(message, botUsername: services.identity.username) else {
            guard message.chat.isPrivate, message.text != nil else { return [] }
            return OutgoingMessage.texts("I answer commands. Send /help to see them.", to: chatID)
        }
        let sentAt = Date(timeIntervalSince1970: TimeInterval(message.date))
        if receivedAt.timeIntervalSince(sentAt) > staleAfter {
            logger.info("stale command not run", metadata: ["command": "\(parsed.typed)", "chat": "\(chatID)"])
            return OutgoingMessage.texts(
                "\(html: parsed.typed) sent at \(clockTime(sentAt)) was not run because the bot was offline; send it again if you still want it.",
                to: chatID)
        }
        guard let type = services.registry.command(named: parsed.name) else {
            return OutgoingMessage.texts("I do not know \(html: parsed.typed). Send /help to see the commands.", to: chatID)
        }
        let context = CommandContext(message: message, commandText: parsed.typed, services: services)
        do {
            var scanner = ArgumentScanner(parsed.arguments, usage: type.usage)
            let command = try type.init(arguments: &scanner)
            try scanner.finish()
            return try await command.run(in: context)
        } catch let error as UserError {
            return context.reply(error.html)
        } catch {
            let errorID = ErrorID.make()
            logger.error("command failed", metadata: [
                "error_id": "\(errorID)", "command": "\(parsed.typed)", "chat": "\(chatID)", "error": "\(error)",
            ])
            return context.reply(
                "Sorry, \(html: parsed.typed) failed (error <code>\(errorID)</code>). Try again in a moment; if it keeps failing, give the bot's owner this id.")
        }
    }

    private func handle(_ query: CallbackQuery) -> [OutgoingMessage] {
        // Every press is answered, or the user's button spins until Telegram gives up.
        let chatID = query.message?.chat.id ?? query.from.id
        return [.answerCallback(query.id, chatID: chatID, text: "This button is no longer active.")]
    }

    private func handle(_ change: ChatMemberUpdated) async {
        do {
            switch change.newChatMember.status {
            case "kicked", "left": try await services.store.deactivateChat(change.chat.id)
            case "member", "administrator": try await services.store.activateChat(change.chat.id)
            default: break
            }
        } catch {
            logger.error("chat status not stored", metadata: ["chat": "\(change.chat.id)", "error": "\(error)"])
        }
    }

    private func clockTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
