import Foundation

/// The end of the middleware chain: runs the command a message names, the handler of a pressed button, or the open
/// conversation that plain text in a private chat (or one of its buttons) answers.
struct Handler<Services: Sendable>: Sendable {
    let registry: CommandRegistry<Services>
    let bot: BotContext
    let services: Services
    let secrets: SecretPolicy

    private var conversations: ConversationRunner<Services> {
        ConversationRunner(registry: registry, bot: bot, services: services)
    }

    func handle(_ request: UpdateRequest) async -> RouterResponse {
        switch request.kind {
        case .message(let message, let parsed): await handle(message, parsed, request)
        case .button(let query): await press(query, receivedAt: request.receivedAt)
        }
    }

    private func handle(_ message: Message, _ parsed: ParsedCommand?, _ request: UpdateRequest) async -> RouterResponse {
        if request.exposesSecret, request.command?.carriesSecret != true {
            // Whatever command came with it, nothing runs on a message that holds a secret, and nothing of it is repeated.
            return RouterResponse(text: secrets.warning, outcome: .usage)
        }
        guard let parsed else { return await plainText(message) }
        return await run(parsed, message)
    }

    /// Private plain text: the open conversation's answer, else the app's reading of it; groups stay silent.
    private func plainText(_ message: Message) async -> RouterResponse {
        guard message.chat.isPrivate else { return .silent }
        guard let text = message.text else {
            guard let attachment = message.attachment else { return .silent }
            return RouterResponse(text: "I read text only, so I cannot use \(attachment). Type what you want, "
                                      + "e.g. <code>price of RELIANCE</code>, or send /help.", outcome: .ok)
        }
        if let answer = await conversations.text(text, in: message) { return answer }
        guard let reader = registry.plainText else {
            return RouterResponse(text: "I answer commands. Send /help to see them.", outcome: .ok)
        }
        let context = CommandContext(message: message, commandText: "", bot: bot, services: services)
        switch await reader(text, context) {
        case .reply(let html):
            return RouterResponse(text: html, outcome: .ok)
        case .run(let line):
            // The app names a command it registered; anything else is its mistake, answered plainly and not run.
            guard let parsed = ParsedCommand.line(line), let type = registry.command(named: parsed.name) else {
                bot.logger.error("plain text named no registered command", metadata: ["line": "\(line.prefix(40))"])
                return RouterResponse(text: "I answer commands. Send /help to see them.", outcome: .ok)
            }
            var response = await run(parsed, message)
            response.translated = TranslatedCommand(parsed: parsed, traits: type.traits)
            return response
        }
    }

    /// Runs the command `parsed` names, typed or read from plain text.
    private func run(_ parsed: ParsedCommand, _ message: Message) async -> RouterResponse {
        guard let type = parsed.name.isEmpty ? nil : registry.command(named: parsed.name) else {
            let name = HTML.escape(CommandLogStep.loggedName(parsed, known: false))
            return RouterResponse(text: "I do not know \(name). Send /help to see the commands.", outcome: .usage)
        }
        let runner = conversations
        let requests = runner.requests
        let context = CommandContext(message: message, commandText: parsed.typed, bot: bot, services: services, conversations: requests)
        var logged: String?
        do {
            var scanner = ArgumentScanner(parsed.arguments, usage: type.usage)
            let command = try type.init(arguments: &scanner)
            try scanner.finish()
            // A command that carries a secret is logged only from its checked fields; one that failed to parse, not at all.
            logged = command.loggedArguments(in: context)
            var response = RouterResponse(replies: try await command.run(in: context), outcome: .ok)
            response.loggedArguments = logged
            // Only a command that finished changes a conversation; its change is stored with its replies.
            if let asked = requests.take(), let user = message.from {
                response.conversation = runner.change(for: asked, chatID: message.chat.id, userID: user.id)
            }
            return response
        } catch let error as UserError {
            var response = RouterResponse(text: error.html, outcome: .usage)
            response.loggedArguments = logged
            return response
        } catch {
            let report = FailureReport(error, doing: parsed.typed, logger: bot.logger,
                                       metadata: ["command": "\(parsed.typed)", "chat": "\(message.chat.id)"])
            var response = RouterResponse(text: report.html, outcome: .error, errorID: report.errorID)
            response.loggedArguments = logged
            return response
        }
    }

    private func press(_ query: CallbackQuery, receivedAt: Date) async -> RouterResponse {
        guard let data = query.data.flatMap(CallbackData.init) else { return RouterResponse(text: "This button is no longer active.", outcome: .usage) }
        guard data.owner == query.from.id else { return RouterResponse(text: "This button is not for you.", outcome: .denied) }
        if let (conversation, run, value) = ConversationButtons.parse(data.action) {
            return await conversations.press(conversation: conversation, run: run, value: value, by: query.from,
                                             in: query.message?.chat.id ?? query.from.id)
        }
        guard let handler = registry.button(for: data.action) else { return RouterResponse(text: "This button is no longer active.", outcome: .usage) }
        guard let message = query.message else {
            return RouterResponse(text: "This message is too old to change; send the command again.", outcome: .usage)
        }
        let press = ButtonPress(action: String(data.action.dropFirst(handler.prefix.count + 1)), query: query, message: message,
                                bot: bot, services: services, receivedAt: receivedAt)
        do {
            let reply = try await handler.press(press)
            return RouterResponse(text: reply.toast, replies: reply.messages, outcome: .ok)
        } catch let error as UserError {
            return RouterResponse(text: HTML.plainText(error.html), outcome: .usage)
        } catch {
            let report = FailureReport(error, doing: "that button", logger: bot.logger,
                                       metadata: ["action": "\(data.action)", "chat": "\(message.chat.id)"])
            return RouterResponse(text: "Failed (error \(report.errorID))", replies: OutgoingMessage.texts(report.html, to: message.chat.id),
                                  outcome: .error, errorID: report.errorID)
        }
    }
}
