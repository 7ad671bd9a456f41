/// `[security] allowed_users`: a stranger is refused once with their id, then ignored, and never recorded as a user.
/// Commands open to everyone (/whoami) pass; plain text in groups is nobody's business here.
public struct AccessStep: UpdateMiddleware {
    public let policy: AccessPolicy

    public init(_ policy: AccessPolicy) { self.policy = policy }

    public func handle(_ request: UpdateRequest, next: UpdateHandler) async -> RouterResponse {
        if let message = request.message, request.parsed == nil, !message.chat.isPrivate { return await next(request) }
        if request.command?.openToEveryone == true {
            var response = await next(request)
            if policy.isAllowed(request.userID) { response.user = request.from }
            return response
        }
        switch policy.check(request.userID) {
        case .allow:
            var response = await next(request)
            response.user = request.from
            return response
        case .refuse:
            // A button press gets no refusal text: a stranger's press is only answered, so the spinner stops.
            return RouterResponse(text: request.isButton ? nil : AccessPolicy.refusal(userID: request.userID), outcome: .denied)
        case .ignore:
            return RouterResponse(outcome: .denied)
        }
    }
}
