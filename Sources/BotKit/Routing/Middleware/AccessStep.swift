/// `[security] allowed_users`: a stranger (or a user an operator disabled) is refused once with their id, then ignored,
/// and never recorded as active.
/// Commands open to everyone (/whoami) pass; plain text in groups is nobody's business here.
public struct AccessStep: UpdateMiddleware {
    public let policy: AccessPolicy

    public init(_ policy: AccessPolicy) { self.policy = policy }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        if request.isChatter || request.command?.openToEveryone == true { return nil }
        switch await policy.verdict(request.userID) {
        case .allow:
            return nil
        case .refuse:
            // A button press gets no refusal text: a stranger's press is only answered, so the spinner stops.
            return RouterResponse(text: request.isButton ? nil : AccessPolicy.refusal(userID: request.userID), outcome: .denied)
        case .ignore:
            return RouterResponse(outcome: .denied)
        }
    }

    /// Records the sender as an active user, unless they are a stranger (let through only by an open command).
    public func after(_ request: UpdateRequest, _ response: inout RouterResponse) async {
        guard !request.isChatter else { return }
        // Only an open command lets a stranger or a disabled user this far: the store is asked again for it alone.
        let admitted = request.command?.openToEveryone == true ? await policy.admits(request.userID) : policy.isAllowed(request.userID)
        if admitted { response.user = request.from }
    }

}
