/// Per-user and overall limits: a user over one is told when to retry at most once a minute, then ignored.
public struct RateLimitStep: UpdateMiddleware {
    public let limiter: UserRateLimiter

    public init(_ limiter: UserRateLimiter) { self.limiter = limiter }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        // Plain text in a group is not answered, so it costs nothing.
        if let message = request.message, request.parsed == nil, !message.chat.isPrivate { return nil }
        switch limiter.check(user: request.userID) {
        case .allow:
            return nil
        case .warn(let seconds):
            // Plain text gets no notice: only commands and presses are told to slow down.
            return RouterResponse(text: request.isPlainText && !request.exposesSecret ? nil : "Slow down: try again in \(seconds) s.",
                                  outcome: .rateLimited)
        case .silent:
            return RouterResponse(outcome: .rateLimited)
        }
    }
}
