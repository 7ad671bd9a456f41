import Foundation
import Logging

/// Turns one update into the replies it deserves: a message or a button press goes through the middleware chain
/// to its handler; an edit never runs anything; chat membership changes are recorded.
public struct UpdateRouter<Services: Sendable>: Sendable {
    public let registry: CommandRegistry<Services>
    public let bot: BotContext
    public let services: Services
    private let secrets: SecretGuard
    private let limiter: UserRateLimiter
    private let middleware: [any UpdateMiddleware]
    private let handler: Handler<Services>

    /// `middleware` runs outermost first; `MiddlewareChain.standard` is the usual one.
    public init(registry: CommandRegistry<Services>, bot: BotContext, services: Services, secrets: SecretGuard,
                limiter: UserRateLimiter, middleware: [any UpdateMiddleware]) {
        self.registry = registry
        self.bot = bot
        self.services = services
        self.secrets = secrets
        self.limiter = limiter
        self.middleware = middleware
        handler = Handler(registry: registry, bot: bot, services: services, secrets: secrets.policy)
    }

    private var logger: Logger { bot.logger }

    /// The replies and log row for one inbox item; never throws (a failure becomes a reply with an error id).
    public func handle(_ item: InboxItem) async -> HandlerResult {
        let update = item.update
        if let message = update.message {
            let parsed = CommandParser.parse(message, botUsername: bot.identity.username)
            let request = UpdateRequest(kind: .message(message, parsed), receivedAt: item.receivedAt, waitedSince: item.waitedSince,
                                        command: parsed.flatMap { registry.command(named: $0.name)?.traits })
            let response = await middleware.run(request) { [handler] in await handler.handle($0) }
            let text = response.text.map { ([$0] + response.notes).filter { !$0.isEmpty }.joined(separator: "\n\n") }
            let texts = text.flatMap { $0.isEmpty ? nil : OutgoingMessage.texts($0, to: message.chat.id) } ?? []
            return HandlerResult(replies: response.leading + texts + response.replies, log: response.log, user: response.user,
                                 conversation: response.conversation)
        }
        if let edited = update.editedMessage {
            // An edit must never re-run a command (an edited /closeall would close again); it still counts against the limit.
            if let user = edited.from { _ = limiter.check(user: user.id) }
            // A secret added by editing leaves the chat too.
            guard secrets.policy.exposes(edited) else { return HandlerResult(replies: []) }
            let removal = await secrets.remove(edited)
            return HandlerResult(replies: removal.replies + OutgoingMessage.texts(removal.note, to: edited.chat.id))
        }
        if let query = update.callbackQuery {
            let request = UpdateRequest(kind: .button(query), receivedAt: item.receivedAt, waitedSince: item.waitedSince, command: nil)
            let response = await middleware.run(request) { [handler] in await handler.handle($0) }
            // Every press is answered, or the user's button spins until Telegram gives up.
            let answer = OutgoingMessage.answerCallback(query.id, chatID: request.chatID, text: response.text)
            return HandlerResult(replies: [answer] + response.leading + response.replies, log: response.log, user: response.user,
                                 conversation: response.conversation)
        }
        if let change = update.myChatMember {
            await handle(change)
        }
        return HandlerResult(replies: [])
    }

    private func handle(_ change: ChatMemberUpdated) async {
        do {
            switch change.newChatMember.status {
            case "kicked", "left": try await bot.store.deactivateChat(change.chat.id)
            case "member", "administrator": try await bot.store.activateChat(change.chat.id)
            default: break
            }
        } catch {
            logger.error("chat status not stored", metadata: ["chat": "\(change.chat.id)", "error": "\(error)"])
        }
    }
}
