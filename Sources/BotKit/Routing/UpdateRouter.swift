import Foundation
import Logging

/// Turns one update into the replies it deserves: commands, button presses, plain text.
///
/// Before a command runs: stale commands are explained, strangers refused
/// once, users over their rate limit told once, account commands kept to
/// private chats. A message that carried a secret is deleted whatever happens.
public struct UpdateRouter: Sendable {
    public let services: BotServices
    /// A command older than this when first seen is not run (the bot was offline).
    public let staleAfter: TimeInterval
    /// Time zone for times shown to users.
    public let timeZone: TimeZone
    public let access: AccessPolicy
    public let limiter: UserRateLimiter

    public init(services: BotServices, staleAfter: TimeInterval, timeZone: TimeZone = .current,
                access: AccessPolicy = AccessPolicy(allowedUsers: [], admins: []),
                limiter: UserRateLimiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0)) {
        self.services = services
        self.staleAfter = staleAfter
        self.timeZone = timeZone
        self.access = access
        self.limiter = limiter
    }

    private var logger: Logger { services.logger }

    /// The replies and log row for one inbox item; never throws (a failure becomes a reply with an error id).
    public func handle(_ item: InboxItem) async -> HandlerResult {
        let update = item.update
        if let message = update.message {
            return await handle(message, receivedAt: item.receivedAt)
        }
        if let edited = update.editedMessage {
            // An edit must never re-run a command (an edited /closeall would close again); it still counts against the limit.
            if let user = edited.from { _ = limiter.check(user: user.id) }
            return HandlerResult(replies: [])
        }
        if let query = update.callbackQuery {
            return await handle(query)
        }
        if let change = update.myChatMember {
            await handle(change)
        }
        return HandlerResult(replies: [])
    }

    private func handle(_ message: Message, receivedAt: Date) async -> HandlerResult {
        let chatID = message.chat.id
        let userID = message.from?.id ?? chatID
        guard let parsed = CommandParser.parse(message, botUsername: services.identity.username) else {
            guard message.chat.isPrivate, message.text != nil, access.check(userID) == .allow,
                  limiter.check(user: userID) == .allow
            else { return HandlerResult(replies: []) }
            return HandlerResult(replies: OutgoingMessage.texts("I answer commands. Send /help to see them.", to: chatID))
        }
        let started = Date()
        let type = services.registry.command(named: parsed.name)
        // The message that carried a secret leaves the chat, whatever the outcome below.
        let deletion: [OutgoingMessage] = type?.carriesSecret == true ? [.delete(messageID: message.messageID, chatID: chatID)] : []
        func result(_ html: String?, _ outcome: CommandLogEntry.Outcome, errorID: String? = nil, replies: [OutgoingMessage] = []) -> HandlerResult {
            let note = deletion.isEmpty ? "" : "\n\nI deleted your message from this chat: it carried a secret."
            let texts = html.map { OutgoingMessage.texts($0 + note, to: chatID) } ?? []
            let log = CommandLogEntry(
                userID: message.from?.id, chatID: chatID, command: parsed.typed.lowercased(),
                arguments: type?.redact(parsed.arguments) ?? parsed.arguments, startedAt: started,
                latencyMilliseconds: Int(Date().timeIntervalSince(started) * 1000), outcome: outcome, errorID: errorID)
            return HandlerResult(replies: deletion + texts + replies, log: log, user: message.from)
        }

        let sentAt = Date(timeIntervalSince1970: TimeInterval(message.date))
        if receivedAt.timeIntervalSince(sentAt) > staleAfter {
            logger.info("stale command not run", metadata: ["command": "\(parsed.typed)", "chat": "\(chatID)"])
            return result("\(HTML.escape(parsed.typed)) sent at \(clockTime(sentAt)) was not run because the bot was offline; send it again if you still want it.", .stale)
        }
        if type?.openToEveryone != true {
            switch access.check(userID) {
            case .allow: break
            case .refuse: return result(AccessPolicy.refusal(userID: userID), .denied)
            case .ignore: return result(nil, .denied)
            }
        }
        switch limiter.check(user: userID) {
        case .allow: break
        case .warn(let seconds): return result("Slow down: try again in \(seconds) s.", .rateLimited)
        case .silent: return result(nil, .rateLimited)
        }
        guard let type else {
            return result("I do not know \(HTML.escape(parsed.typed)). Send /help to see the commands.", .usage)
        }
        if type.privateOnly, !message.chat.isPrivate {
            return result("\(HTML.escape(parsed.typed)) shows or changes account data: use a private chat with me.", .denied)
        }
        let context = CommandContext(message: message, commandText: parsed.typed, services: services)
        do {
            var scanner = ArgumentScanner(parsed.arguments, usage: type.usage)
            let command = try type.init(arguments: &scanner)
            try scanner.finish()
            return result(nil, .ok, replies: try await command.run(in: context))
        } catch let error as UserError {
            return result(error.html, .usage)
        } catch {
            let report = FailureReport(error, doing: parsed.typed, logger: logger,
                                       metadata: ["command": "\(parsed.typed)", "chat": "\(chatID)"])
            return result(report.html, .error, errorID: report.errorID)
        }
    }

    private func handle(_ query: CallbackQuery) async -> HandlerResult {
        // Every press is answered, or the user's button spins until Telegram gives up.
        let chatID = query.message?.chat.id ?? query.from.id
        let started = Date()
        func answer(_ text: String?, _ outcome: CommandLogEntry.Outcome, errorID: String? = nil,
                    then replies: [OutgoingMessage] = []) -> HandlerResult {
            let log = CommandLogEntry(userID: query.from.id, chatID: chatID, command: "button", arguments: query.data ?? "",
                                      startedAt: started, latencyMilliseconds: Int(Date().timeIntervalSince(started) * 1000),
                                      outcome: outcome, errorID: errorID)
            return HandlerResult(replies: [.answerCallback(query.id, chatID: chatID, text: text)] + replies, log: log, user: query.from)
        }
        guard access.check(query.from.id) == .allow else { return answer(nil, .denied) }
        switch limiter.check(user: query.from.id) {
        case .allow: break
        case .warn(let seconds): return answer("Slow down: try again in \(seconds) s.", .rateLimited)
        case .silent: return answer(nil, .rateLimited)
        }
        guard let data = query.data.flatMap(CallbackData.init) else { return answer("This button is no longer active.", .usage) }
        guard data.owner == query.from.id else { return answer("This button is not for you.", .denied) }
        guard let handler = services.registry.button(for: data.action) else { return answer("This button is no longer active.", .usage) }
        guard let message = query.message else { return answer("This message is too old to change; send the command again.", .usage) }
        let prefixLength = handler.prefix.count + 1
        let press = ButtonPress(action: String(data.action.dropFirst(prefixLength)), query: query, message: message, services: services)
        do {
            let reply = try await handler.press(press)
            return answer(reply.toast, .ok, then: reply.messages)
        } catch let error as UserError {
            return answer(HTML.plainText(error.html), .usage)
        } catch {
            let report = FailureReport(error, doing: "that button", logger: logger, metadata: ["action": "\(data.action)", "chat": "\(chatID)"])
            return answer("Failed (error \(report.errorID))", .error, errorID: report.errorID,
                          then: OutgoingMessage.texts(report.html, to: chatID))
        }
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
