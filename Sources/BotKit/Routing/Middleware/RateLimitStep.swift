/// Per-user (per minute and per hour) and overall limits: a user over one is told which and when to retry at most
/// once a minute, then ignored.
public struct RateLimitStep: UpdateMiddleware {
    public let limiter: UserRateLimiter

    public init(_ limiter: UserRateLimiter) { self.limiter = limiter }

    public func before(_ request: inout UpdateRequest) async -> RouterResponse? {
        // What is not answered costs nothing; a message holding a secret is answered (and deleted), so it counts.
        if request.isChatter { return nil }
        let text: String
        switch limiter.check(user: request.userID) {
        case .allow:
            return nil
        case .silent:
            return RouterResponse(outcome: .rateLimited)
        case .warn(let seconds):
            text = "Slow down: try again in \(seconds) s."
        case .warnHourly(let seconds, let limit):
            text = "You have sent \(limit) commands this hour; try again in \(Self.wait(seconds))."
        }
        // Plain text gets no notice: only commands and presses are told to slow down.
        return RouterResponse(text: request.isPlainText && !request.exposesSecret ? nil : text, outcome: .rateLimited)
    }

    /// "45 s" under a minute, else whole minutes rounded up: "12 min".
    static func wait(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds) s" : "\((seconds + 59) / 60) min"
    }
}
