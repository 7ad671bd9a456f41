import Foundation
import Logging

/// Turns one update into the replies it deserves: commands, button presses, plain text.
///
/// Before a command runs: stale commands are explained, strangers refused
/// once, users over their rate limit told once, account commands kept to
/// private chats. A message that carried a secret (a /link, or anything
/// holding an API key) is deleted whatever happens, and the command log keeps
/// nothing of it that was not checked.
public struct UpdateRouter: Sendable {
    public let services: BotServices
    /// A command older than this when first seen is not run (the bot was offline).
    public let staleAfter: TimeInterval
    /// Time zone for times shown to users.
    public let timeZone: TimeZone
    public let access: AccessPolicy
    public let limiter: UserRateLimiter
    private let secrets: SecretGuard

    public init(services: BotServices, staleAfter: TimeInterval, timeZone: TimeZone = .current,
                access: AccessPolicy = AccessPolicy(allowedUsers: [], admins: []),
                limiter: UserRateLimiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0)) {
        self.services = services
        self.staleAfter = staleAfter
        self.timeZone = timeZone
        self.access = access
        self.limiter = limiter
        secrets = SecretGuard(deleteNow: services.deleteNow)
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
            // A key added by editing leaves the chat too.
            guard SecretGuard.exposesAPIKey(edited) else { return HandlerResult(replies: []) }
            let removal = await secrets.remove(edited)
            return HandlerResult(replies: removal.replies + OutgoingMessage.texts(removal.note, to: edited.chat.id))
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
        let parsed = CommandParser.parse(message, botUsername: services.identity.username)
        let type = parsed.flatMap { services.registry.command(named: $0.name) }
        let exposesKey = SecretGuard.exposesAPIKey(message)
        // The message that carried a secret leaves the chat, whatever the outcome below.
        let removal = exposesKey || type?.carriesSecret == true ? await secrets.remove(message) : nil
        // Strangers who are turned away leave no row in the users table.
        let user = access.isAllowed(userID) ? message.from : nil
        let started = Date(), clock = ContinuousClock.now
        var loggedArguments = exposesKey || type?.carriesSecret != false ? "" : parsed?.arguments ?? ""
        func result(_ html: String?, _ outcome: CommandLogEntry.Outcome, errorID: String? = nil, replies: [OutgoingMessage] = []) -> HandlerResult {
            let note = removal.map { "\n\n" + $0.note } ?? ""
            let texts = html.map { OutgoingMessage.texts($0 + note, to: chatID) } ?? []
            let log = CommandLogEntry(
                userID: message.from?.id, chatID: chatID, command: parsed.map { Self.loggedName($0, known: type != nil) } ?? "text",
                arguments: loggedArguments, startedAt: started,
                latencyMilliseconds: Self.milliseconds(since: clock), outcome: outcome, errorID: errorID)
            return HandlerResult(replies: (removal?.replies ?? []) + texts + replies, log: log, user: user)
        }

        if exposesKey, type?.carriesSecret != true {
            // Whatever command came with it, nothing runs on a message that holds a key, and nothing of it is repeated.
            let answer = limiter.check(user: userID) == .allow
                ? "Your message looked like an OpenAlgo API key (64 hex characters), so I did not act on it. "
                    + "To link an account, send <code>/link API_KEY</code> in a private chat with me."
                : nil
            return result(answer, .usage)
        }
        guard let parsed else {
            guard message.chat.isPrivate, message.text != nil else { return HandlerResult(replies: []) }
            switch access.check(userID) {
            case .allow: break
            case .refuse: return HandlerResult(replies: OutgoingMessage.texts(AccessPolicy.refusal(userID: userID), to: chatID))
            case .ignore: return HandlerResult(replies: [])
            }
            guard limiter.check(user: userID) == .allow else { return HandlerResult(replies: []) }
            return HandlerResult(replies: OutgoingMessage.texts("I answer commands. Send /help to see them.", to: chatID))
        }
        let shownName = HTML.escape(Self.loggedName(parsed, known: type != nil))

        let sentAt = Date(timeIntervalSince1970: TimeInterval(message.date))
        if receivedAt.timeIntervalSince(sentAt) > staleAfter {
            logger.info("stale command not run", metadata: ["command": "\(Self.loggedName(parsed, known: type != nil))", "chat": "\(chatID)"])
            return result("\(shownName) sent at \(clockTime(sentAt)) was not run because the bot was offline; send it again if you still want it.", .stale)
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
            return result("I do not know \(shownName). Send /help to see the commands.", .usage)
        }
        if type.privateOnly, !message.chat.isPrivate {
            return result("\(HTML.escape(parsed.typed)) shows or changes account data: use a private chat with me.", .denied)
        }
        let context = CommandContext(message: message, commandText: parsed.typed, services: services)
        do {
            var scanner = ArgumentScanner(parsed.arguments, usage: type.usage)
            let command = try type.init(arguments: &scanner)
            try scanner.finish()
            // A command that carries a secret is logged only from its checked fields; one that failed to parse, not at all.
            if let checked = command.loggedArguments(in: context) { loggedArguments = checked }
            return result(nil, .ok, replies: try await command.run(in: context))
        } catch let error as UserError {
            return result(error.html, .usage)
        } catch {
            let report = FailureReport(error, doing: parsed.typed, logger: logger,
                                       metadata: ["command": "\(parsed.typed)", "chat": "\(chatID)"])
            return result(report.html, .error, errorID: report.errorID)
        }
    }

    /// The command as the log and replies name it: an unknown one only when it has the shape of a command name
    /// (at most 32 of a-z, 0-9, _), so that a key typed after the slash is never kept or repeated.
    static func loggedName(_ parsed: ParsedCommand, known: Bool) -> String {
        if known || parsed.name.wholeMatch(of: /[a-z0-9_]{1,32}/) != nil { return parsed.typed.lowercased() }
        return "/(unknown)"
    }

    private func handle(_ query: CallbackQuery) async -> HandlerResult {
        // Every press is answered, or the user's button spins until Telegram gives up.
        let chatID = query.message?.chat.id ?? query.from.id
        let started = Date(), clock = ContinuousClock.now
        func answer(_ text: String?, _ outcome: CommandLogEntry.Outcome, errorID: String? = nil,
                    then replies: [OutgoingMessage] = []) -> HandlerResult {
            let log = CommandLogEntry(userID: query.from.id, chatID: chatID, command: "button",
                                      // A modified client can put anything in 64 bytes of callback data, a key included.
                                      arguments: query.data.map { SecretGuard.containsAPIKey($0) ? "(redacted)" : $0 } ?? "",
                                      startedAt: started, latencyMilliseconds: Self.milliseconds(since: clock),
                                      outcome: outcome, errorID: errorID)
            return HandlerResult(replies: [.answerCallback(query.id, chatID: chatID, text: text)] + replies, log: log,
                                 user: access.isAllowed(query.from.id) ? query.from : nil)
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

    /// Milliseconds on the monotonic clock: a wall-clock jump cannot make a latency negative or absurd.
    private static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        Int(start.duration(to: .now).wholeMilliseconds)
    }
}
