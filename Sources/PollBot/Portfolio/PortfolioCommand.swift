import BotKit
import Foundation

/// A command that shows one view of the active account; /menu's buttons show the same views.
protocol PortfolioCommand: Command {
    /// The heading of the reply.
    static var title: String { get }
    /// The reply's HTML for `session`, from the cache unless `refresh`.
    static func render(_ session: TradingSession, refresh: Bool) async throws -> String
}

extension PortfolioCommand {
    static var privateOnly: Bool { true }

    func run(in context: TraderContext) async throws -> [OutgoingMessage] {
        context.reply(try await Self.render(try await context.tradingSession(), refresh: false))
    }
}

/// What a trader reads in an order's or trade's time: "13:58:03" from "08-Apr-2025 13:58:03".
func timeOfDay(_ timestamp: String) -> String {
    timestamp.split(separator: " ").last.map(String.init) ?? timestamp
}
