/// Telegram's own flood limits, applied before sending rather than learned from 429s.
///
/// About 30 messages a second overall, about one a second per private chat
/// with a small burst, 20 a minute per group.
public struct FloodLimiter: Sendable {
    private var global: TokenBucket
    private var chats: [Int64: TokenBucket] = [:]
    private let enabled: Bool
    private var takesSinceSweep = 0

    public init(enabled: Bool, now: ContinuousClock.Instant = .now) {
        self.enabled = enabled
        global = TokenBucket(capacity: 30, ratePerSecond: 30, now: now)
    }

    /// What the sender may do with a message now.
    public enum Decision: Equatable, Sendable {
        case send
        /// Every chat must wait: the overall limit is used up.
        case waitAll(Duration)
        /// This chat must wait; others may go.
        case waitChat(Duration)
    }

    /// Takes the tokens a message needs, or says who must wait and how long. Nothing is taken on refusal.
    public mutating func admit(_ message: OutgoingMessage, now: ContinuousClock.Instant = .now) -> Decision {
        guard enabled else { return .send }
        if let wait = global.wait(now: now) { return .waitAll(wait) }
        if message.countsAsChatMessage {
            var bucket = chats[message.chatID] ?? Self.bucket(for: message.chatID, now: now)
            let wait = bucket.take(now: now)
            chats[message.chatID] = bucket
            if let wait { return .waitChat(wait) }
        }
        _ = global.take(now: now)
        sweep(now)
        return .send
    }

    private static func bucket(for chatID: Int64, now: ContinuousClock.Instant) -> TokenBucket {
        chatID < 0
            ? TokenBucket(capacity: 3, ratePerSecond: 20.0 / 60, now: now)  // groups
            : TokenBucket(capacity: 3, ratePerSecond: 1, now: now)
    }

    /// Forgets full buckets now and then, so memory follows active chats only.
    private mutating func sweep(_ now: ContinuousClock.Instant) {
        takesSinceSweep += 1
        guard takesSinceSweep >= 1000 else { return }
        takesSinceSweep = 0
        for (chat, var bucket) in chats where bucket.isFull(now: now) { chats[chat] = nil }
    }
}
