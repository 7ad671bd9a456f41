/// Per-user and overall limits: a user over one is told when to retry at most once a minute, then ignored.
public struct RateLimitStep: UpdateMiddleware {
    public let limiter: UserRateLimiter

    public init(_ limiter: UserRateLimiter) { self.limiter = limiter }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        // What is not answered costs nothing; a message holding a secret is answered (and deleted), so it counts.
        if request.isChatter { return nil }
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
