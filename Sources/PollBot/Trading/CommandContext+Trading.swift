import BotKit

/// A trader command's way to its account: /quote, /chart, /menu and the portfolio views start here.
extension CommandContext where Services == TraderServices {
    /// The user's trading session on their active account.
    func tradingSession() async throws -> TradingSession {
        guard let user else { throw UserError("I cannot tell who sent this.") }
        return try await services.trading.session(userID: user.id)
    }
}

/// The same way in for a conversation's steps (/analyze).
extension ConversationContext where Services == TraderServices {
    /// The user's trading session on their active account.
    func tradingSession() async throws -> TradingSession {
        try await services.trading.session(userID: user.id)
    }
}
