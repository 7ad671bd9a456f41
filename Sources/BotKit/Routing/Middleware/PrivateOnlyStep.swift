/// Commands that show or change private data run in private chats only; in a group they are refused by name.
public struct PrivateOnlyStep: UpdateMiddleware {
    public init() {}

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        guard let message = request.message, let parsed = request.parsed, request.command?.privateOnly == true,
              !message.chat.isPrivate
        else { return nil }
        return RouterResponse(text: "\(HTML.escape(parsed.typed)) shows or changes account data: use a private chat with me.",
                              outcome: .denied)
    }
}
