/// Commands that show or change private data run in private chats only; in a group they are refused by name.
public struct PrivateOnlyStep: UpdateMiddleware {
    /// What such commands show, in the app's words ("account data").
    public let privateData: String

    public init(privateData: String = "private data") { self.privateData = privateData }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        guard let message = request.message, let parsed = request.parsed, request.command?.privateOnly == true,
              !message.chat.isPrivate
        else { return nil }
        return RouterResponse(text: "\(HTML.escape(parsed.typed)) shows or changes \(privateData): use a private chat with me.",
                              outcome: .denied)
    }
}
