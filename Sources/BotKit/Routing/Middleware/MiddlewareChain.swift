import Foundation

/// The chains of steps the engine offers.
public enum MiddlewareChain {
    /// The steps before every handler, outermost first: the secret leaves the chat and every outcome is logged
    /// whatever the checks inside decide; then stale guard, access, rate limit, private-only. With `metrics`, a
    /// `MetricsStep` goes outside them all.
    public static func standard(secrets: SecretGuard, staleAfter: TimeInterval, timeZone: ZoneRules, access: AccessPolicy,
                                 limiter: UserRateLimiter, privateData: String = "private data",
                                pressSlack: TimeInterval = 0, metrics: BotMetrics? = nil) -> [any UpdateMiddleware] {
        let outer: [any UpdateMiddleware] = metrics.map { [MetricsStep($0)] } ?? []
        return outer + [SecretStep(secrets), CommandLogStep(secrets: secrets.policy), StaleGuard(staleAfter: staleAfter, timeZone: timeZone, pressSlack: pressSlack),
         AccessStep(access), RateLimitStep(limiter), PrivateOnlyStep(privateData: privateData)]
    }
}
