import Foundation

/// The size and the faults of one chaos soak.
public struct SoakPlan: Sendable {
    /// Updates the users send in all.
    public var updates: Int
    /// Distinct users, each in a private chat.
    public var users: Int
    /// SIGKILLs of the bot process, each followed by a restart.
    public var kills: Int
    /// About how long the stream lasts: users pause between steps so that the kills fall among the updates.
    public var duration: Duration
    /// Share of Telegram calls that meet a random fault.
    public var telegramFaultRate: Double
    /// Share of order confirmations and alert arming preceded by a broker fault.
    public var brokerFaultRate: Double
    /// How long a Telegram "timeout" stalls (past the bot's 30 s request limit in the full soak).
    public var telegramTimeout: Duration
    /// How long a user waits for one answer: past a Telegram timeout, the sender's longest backoff (30 s), a restart and
    /// an order's reconciliation.
    public var stepLimit: Duration { telegramTimeout + .seconds(60) }
    /// Every random choice (users' steps, fault kinds, kill moments) follows from it.
    public var seed: UInt64

    public init(updates: Int, users: Int, kills: Int, duration: Duration, telegramFaultRate: Double = 0.1,
                brokerFaultRate: Double = 0.1, telegramTimeout: Duration = .seconds(35), seed: UInt64 = 15) {
        self.updates = updates
        self.users = users
        self.kills = kills
        self.duration = duration
        self.telegramFaultRate = telegramFaultRate
        self.brokerFaultRate = brokerFaultRate
        self.telegramTimeout = telegramTimeout
        self.seed = seed
    }

    /// `make soak`: 10,000 updates from 500 users, 100 kills; planned as six minutes, the stream takes about eight
    /// (users wait for answers across restarts), and the kills are paced to fall inside it: with four minutes planned,
    /// 100 restarts of about 3 s each left 3 kills outside the stream on a machine running fuzzers beside it.
    public static let full = SoakPlan(updates: 10_000, users: 500, kills: 100, duration: .seconds(360))

    /// The version in `make test`: 150 updates, 5 kills, under a minute. Its "timeouts" stall 3 s, not 35. The stream
    /// lasts about 50 s whatever the planned duration: a dropped connection costs the bot its request limit (12 s for a
    /// long poll, 30 s for a send), so the users' fifth steps, not the plan, set its length.
    public static let short = SoakPlan(updates: 150, users: 30, kills: 5, duration: .seconds(12), telegramTimeout: .seconds(3))
}
