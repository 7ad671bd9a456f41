import Foundation

/// One step before a handler: `before` may answer the update itself (nothing further in runs) or pass it on;
/// `after` adjusts the answer on the way out.
///
/// The router runs every `before` in the chain's order (outermost first; `MiddlewareChain.standard`), then the handler, then
/// the `after` of each step that passed the update on, innermost first: the semantics of nested `next` calls
/// without their nesting (nested async frames held 1.8 MB more at the burst benchmark's peak). Each step is one
/// small type in its own file, tested on its own (see ARCHITECTURE.md for the standard chain). Steps see a
/// command's traits, not its type, so the chain is compiled once in the engine, whatever the app.
public protocol UpdateMiddleware: Sendable {
    /// Answers the update here, or returns nil to pass it (possibly changed) on.
    func before(_ request: inout UpdateRequest) async -> RouterResponse?
    /// Adjusts the answer of the handler or of a step further in.
    func after(_ request: UpdateRequest, _ response: inout RouterResponse) async
}

extension UpdateMiddleware {
    public func before(_ request: inout UpdateRequest) async -> RouterResponse? { nil }
    public func after(_ request: UpdateRequest, _ response: inout RouterResponse) async {}

    /// This step alone around `next`, as the router runs it in a chain.
    public func handle(_ request: UpdateRequest, next: UpdateHandler) async -> RouterResponse {
        var request = request
        if let answer = await before(&request) { return answer }
        var response = await next(request)
        await after(request, &response)
        return response
    }
}

extension [any UpdateMiddleware] {
    /// Runs the steps around `handler`: every `before` outermost first, then the `after` of each step that passed.
    public func run(_ request: UpdateRequest, handler: UpdateHandler) async -> RouterResponse {
        var request = request
        var passed = 0
        var answer: RouterResponse?
        for step in self {
            answer = await step.before(&request)
            if answer != nil { break }
            passed += 1
        }
        var response: RouterResponse
        if let answer { response = answer } else { response = await handler(request) }
        for step in self[..<passed].reversed() { await step.after(request, &response) }
        return response
    }
}

/// The rest of the chain, as a middleware step sees it.
public typealias UpdateHandler = @Sendable (UpdateRequest) async -> RouterResponse

/// What the steps before a handler need to know of a command.
public struct CommandTraits: Sendable, Equatable {
    public var name: String
    public var privateOnly: Bool
    public var carriesSecret: Bool
    public var openToEveryone: Bool

    public init(name: String, privateOnly: Bool = false, carriesSecret: Bool = false, openToEveryone: Bool = false) {
        self.name = name
        self.privateOnly = privateOnly
        self.carriesSecret = carriesSecret
        self.openToEveryone = openToEveryone
    }
}

extension Command {
    /// This command as the middleware steps see it.
    public static var traits: CommandTraits {
        CommandTraits(name: name, privateOnly: privateOnly, carriesSecret: carriesSecret, openToEveryone: openToEveryone)
    }
}

/// A message or a button press on its way to its handler.
public struct UpdateRequest: Sendable {
    /// What arrived.
    public enum Kind: Sendable {
        case message(Message, ParsedCommand?)
        case button(CallbackQuery)
    }

    public var kind: Kind
    /// When the bot first saw the update (recorded in the inbox).
    public var receivedAt: Date
    /// For an update that waited in Telegram's queue while the bot was down: when the bot last heard from Telegram.
    public var waitedSince: Date?
    /// The registered command a message names, if any.
    public var command: CommandTraits?
    /// Set by `SecretStep`: the message holds something the app's `SecretPolicy` counts as a secret.
    public var exposesSecret = false
    /// Set by `SecretStep`: how the message that carried a secret was taken out of the chat.
    public var secretRemoval: SecretGuard.Removal?
    /// When handling began, for the command log.
    public let startedAt = Date(), started = ContinuousClock.now

    public init(kind: Kind, receivedAt: Date, waitedSince: Date? = nil, command: CommandTraits?) {
        self.kind = kind
        self.receivedAt = receivedAt
        self.waitedSince = waitedSince
        self.command = command
    }

    /// The sender (of the message, or of the press).
    public var from: User? {
        switch kind {
        case .message(let message, _): message.from
        case .button(let query): query.from
        }
    }

    /// The user id limits and access go by: the sender, else the chat.
    public var userID: Int64 { from?.id ?? chatID }

    public var chatID: Int64 {
        switch kind {
        case .message(let message, _): message.chat.id
        case .button(let query): query.message?.chat.id ?? query.from.id
        }
    }

    public var message: Message? {
        if case .message(let message, _) = kind { return message }
        return nil
    }

    public var parsed: ParsedCommand? {
        if case .message(_, let parsed) = kind { return parsed }
        return nil
    }

    public var isButton: Bool {
        if case .button = kind { return true }
        return false
    }

    /// True for a message that is not a command (text, a photo, a sticker…).
    public var isPlainText: Bool { message != nil && parsed == nil }

    /// True for a message the bot does not answer and no check needs to see: not a command, holding no secret, and
    /// either in a group (not addressed to the bot) or without text (a sticker or photo in a private chat).
    public var isChatter: Bool {
        guard let message, parsed == nil, !exposesSecret else { return false }
        return !message.chat.isPrivate || message.text == nil
    }
}

/// What a step or the handler decided; the router turns it into the replies and the log row.
public struct RouterResponse: Sendable {
    /// The main reply (HTML), or the button's toast (plain text); nil answers nothing (a press is still answered).
    public var text: String?
    /// Sentences added to the main reply by outer steps (a secret's removal).
    public var notes: [String] = []
    /// Messages queued before the reply (a deletion).
    public var leading: [OutgoingMessage] = []
    /// Messages after the reply: the command's own output.
    public var replies: [OutgoingMessage] = []
    public var outcome: CommandLogEntry.Outcome
    public var errorID: String?
    /// The arguments the command asked the log to keep (its checked fields); nil leaves it to `CommandLogStep`.
    public var loggedArguments: String?
    /// The sender, to record as an active user; nil for strangers turned away.
    public var user: User?
    /// Built by `CommandLogStep`.
    public var log: CommandLogEntry?

    public init(text: String? = nil, replies: [OutgoingMessage] = [], outcome: CommandLogEntry.Outcome, errorID: String? = nil) {
        self.text = text
        self.replies = replies
        self.outcome = outcome
        self.errorID = errorID
    }

    /// Nothing to say, nothing to log (plain text in a group).
    public static let silent = RouterResponse(outcome: .ok)
}
