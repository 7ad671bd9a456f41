import Foundation

/// Runs registered conversations for the handler: typed answers, button presses, and the starts and ends commands ask
/// for. Every outcome is a reply plus a `ConversationChange`, stored together by `BotStore.complete`.
struct ConversationRunner<Services: Sendable>: Sendable {
    let registry: CommandRegistry<Services>
    let bot: BotContext
    let services: Services
    /// The clock for stored times (tests pin it).
    var now: @Sendable () -> Date = { Date() }

    /// What `/cancel` and its kin may call them.
    var requests: ConversationRequests {
        ConversationRequests(titles: registry.conversationTitles)
    }

    /// The answer of the user's open conversation to text typed in a private chat; nil when none is open.
    func text(_ text: String, in message: Message) async -> RouterResponse? {
        guard let user = message.from else { return nil }
        let found: (ConversationRecord, any Conversation<Services>.Type)?
        do { found = try await open(chatID: message.chat.id, userID: user.id) } catch { return unreadable(error, chatID: message.chat.id, toast: false) }
        guard let (record, type) = found else { return nil }
        return await advance(record, type, .text(text), user: user, toast: false)
    }

    /// The answer to a press of a conversation button: the open conversation advances, an ended one says so.
    func press(conversation name: String, run: String, value: String, by user: User, in chatID: Int64) async -> RouterResponse {
        let found: (ConversationRecord, any Conversation<Services>.Type)?
        do { found = try await open(chatID: chatID, userID: user.id) } catch { return unreadable(error, chatID: chatID, toast: true) }
        // A button of an earlier run (an analysis finished, another started) must never answer the new one.
        guard let (record, type) = found, record.name == name, record.run == run else {
            return RouterResponse(text: "This conversation has ended", outcome: .usage)
        }
        return await advance(record, type, .choice(value), user: user, toast: true)
    }

    /// The change a command asked for, for `user` in `chatID`.
    func change(for request: ConversationRequests.Request, chatID: Int64, userID: Int64) -> ConversationChange? {
        switch request {
        case .end:
            return .end(chatID: chatID, userID: userID, outcome: .cancelled)
        case .start(let name, let state, let data, let run):
            guard let type = registry.conversation(named: name) else {
                bot.logger.error("a command started a conversation that is not registered", metadata: ["conversation": "\(name)"])
                return nil
            }
            let at = now()
            return .save(ConversationRecord(chatID: chatID, userID: userID, name: name, state: state, data: data, run: run, startedAt: at,
                                            updatedAt: at, expiresAt: at.addingTimeInterval(registry.timeout(of: type))))
        }
    }

    /// The user's open, unexpired conversation of a registered type.
    private func open(chatID: Int64, userID: Int64) async throws -> (ConversationRecord, any Conversation<Services>.Type)? {
        // An expired row waits for the sweeper, which sends its notice; it takes no more answers.
        guard let record = try await bot.store.conversation(chatID: chatID, userID: userID), record.expiresAt > now(),
              let type = registry.conversation(named: record.name) else { return nil }
        return (record, type)
    }

    /// The store could not say whether a conversation is open: an answer with an error id, not "nothing is open".
    private func unreadable(_ error: any Error, chatID: Int64, toast: Bool) -> RouterResponse {
        let report = FailureReport(error, doing: "your answer", logger: bot.logger, metadata: ["chat": "\(chatID)"])
        return toast ? RouterResponse(text: "Failed (error \(report.errorID))", replies: OutgoingMessage.texts(report.html, to: chatID),
                                      outcome: .error, errorID: report.errorID)
            : RouterResponse(text: report.html, outcome: .error, errorID: report.errorID)
    }

    private func advance(_ record: ConversationRecord, _ type: any Conversation<Services>.Type, _ input: ConversationInput,
                         user: User, toast: Bool) async -> RouterResponse {
        let context = ConversationContext(name: record.name, chatID: record.chatID, user: user, data: record.data, run: record.run, bot: bot,
                                          services: services)
        do {
            let (replies, change) = try await type.step(record, input, in: context, timeout: registry.timeout(of: type), now: now())
            var response = RouterResponse(replies: replies, outcome: .ok)
            response.conversation = change
            return response
        } catch let error as UserError {
            // The conversation stays where it was: the user may answer again.
            return toast ? RouterResponse(text: HTML.plainText(error.html), outcome: .usage)
                : RouterResponse(text: error.html, outcome: .usage)
        } catch {
            let report = FailureReport(error, doing: "the \(type.title)", logger: bot.logger,
                                       metadata: ["conversation": "\(record.name)", "state": "\(record.state)", "chat": "\(record.chatID)"])
            return toast ? RouterResponse(text: "Failed (error \(report.errorID))", replies: OutgoingMessage.texts(report.html, to: record.chatID),
                                          outcome: .error, errorID: report.errorID)
                : RouterResponse(text: report.html, outcome: .error, errorID: report.errorID)
        }
    }
}

extension Conversation {
    /// One answer in `record`'s state: the replies and the stored change (the time limit restarts at every answer).
    static func step(_ record: ConversationRecord, _ input: ConversationInput, in context: ConversationContext<Services>,
                     timeout: TimeInterval, now: Date) async throws -> ([OutgoingMessage], ConversationChange) {
        guard let state = State(rawValue: record.state) else {
            // Stored by an older version whose states differ: ending it is honest, guessing a state is not.
            return (context.reply("The \(HTML.escape(title)) cannot continue after the bot was updated; please start again."),
                    .end(chatID: record.chatID, userID: record.userID, run: record.run, outcome: .abandoned))
        }
        var next = record
        next.updatedAt = now
        next.expiresAt = now.addingTimeInterval(timeout)
        switch try await handle(state, input, in: context) {
        case .next(let state, let data, let replies):
            next.state = state.rawValue
            next.data = data
            return (replies, .update(next, was: record.updatedAt))
        case .stay(let replies):
            return (replies, .update(next, was: record.updatedAt))
        case .finish(let replies):
            return (replies, .end(chatID: record.chatID, userID: record.userID, run: record.run, outcome: .completed))
        }
    }
}
