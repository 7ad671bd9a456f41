import BotKit
import Foundation
import Logging

/// The services of a bot that has none: engine tests run commands that need nothing from an app.
public struct NoServices: Sendable {
    public init() {}
}

/// An engine-only router over a real store, without Telegram: for tests of routing and middleware.
public enum EngineRig {
    /// A router with `registry`, the standard middleware chain (limits off unless given) and no app services;
    /// stale notices show times in `timeZone`.
    public static func router(_ registry: CommandRegistry<NoServices>, directory: TemporaryDirectory, logger: Logger,
                              staleAfter: TimeInterval = 120, timeZone: ZoneRules = .system, access: AccessPolicy = AccessPolicy(allowedUsers: [], admins: []),
                              limiter: UserRateLimiter = UserRateLimiter(perMinute: 0, burst: 1, globalPerSecond: 0),
                              secrets: SecretPolicy = .none) throws -> UpdateRouter<NoServices> {
        let bot = BotContext(identity: BotIdentity(id: 1, username: "PollTestBot", firstName: "P"),
                             store: try BotStore(path: directory.file("db.sqlite3")), logger: logger, help: registry.help)
        let guardian = SecretGuard(policy: secrets, deleteNow: nil)
        return UpdateRouter(registry: registry, bot: bot, services: NoServices(), secrets: guardian, limiter: limiter,
                            middleware: MiddlewareChain.standard(secrets: guardian, staleAfter: staleAfter, timeZone: timeZone,
                                                                   access: access, limiter: limiter))
    }
}
