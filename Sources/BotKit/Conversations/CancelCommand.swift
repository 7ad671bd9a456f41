import Foundation

/// /cancel: ends the sender's open conversation and says which, whatever the app; generic like /help.
public struct CancelCommand<Services: Sendable>: Command {
    public static var name: String { "cancel" }
    public static var summary: String { "End the conversation in progress" }

    public init(arguments: inout ArgumentScanner) throws {}

    public func run(in context: CommandContext<Services>) async throws -> [OutgoingMessage] {
        guard let open = try await context.openConversation() else {
            return context.reply("There is nothing to cancel.")
        }
        context.endConversation()
        return context.reply("Cancelled the \(HTML.escape(open.title)).")
    }
}
