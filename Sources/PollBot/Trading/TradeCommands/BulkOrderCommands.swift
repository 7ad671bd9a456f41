import BotKit

/// /closeall: lists every open position of the active account and, after Confirm, squares them all off at market.
struct CloseAllCommand: Command {
    static let name = "closeall"
    static let summary = "Close every open position: preview and confirm"
    static let usage = "/closeall"
    static let details: String? = "The preview lists exactly the positions that will be closed. If they change before you press "
        + "Confirm, nothing is sent."
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws { try arguments.finish() }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        return try await context.services.orders.proposeCloseAll(userID: user.id, chatID: context.chat.id).messages(to: context.chat.id)
    }
}

/// /cancelall: lists every open order of the active account and, after Confirm, cancels them all.
struct CancelAllCommand: Command {
    static let name = "cancelall"
    static let summary = "Cancel every open order: preview and confirm"
    static let usage = "/cancelall"
    static let details: String? = "The preview lists exactly the orders that will be cancelled. If the open orders change before you "
        + "press Confirm, nothing is sent."
    static let privateOnly = true

    init(arguments: inout ArgumentScanner) throws { try arguments.finish() }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        guard let user = context.user else { throw UserError("I cannot tell who sent this.") }
        return try await context.services.orders.proposeCancelAll(userID: user.id, chatID: context.chat.id).messages(to: context.chat.id)
    }
}
