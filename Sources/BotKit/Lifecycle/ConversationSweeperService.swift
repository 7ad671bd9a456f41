import Foundation
import Logging
import ServiceLifecycle

/// Ends conversations whose time limit passed and tells each user once, in the conversation's own words; the notice
/// is queued in the same transaction as the row's removal. Runs on an injectable clock.
public struct ConversationSweeper<Services: Sendable>: Sendable {
    let store: BotStore
    let registry: CommandRegistry<Services>
    /// The wall clock expiry is judged by (stored times are absolute, so a restart honours them).
    let now: @Sendable () -> Date
    /// Hands the queued notices to the sender.
    let deliver: @Sendable ([OutboxItem]) async -> Void

    /// A sweeper over `store` for `registry`'s conversations.
    public init(store: BotStore, registry: CommandRegistry<Services>, now: @escaping @Sendable () -> Date = { Date() },
                deliver: @escaping @Sendable ([OutboxItem]) async -> Void) {
        self.store = store
        self.registry = registry
        self.now = now
        self.deliver = deliver
    }

    /// Ends every expired conversation and delivers the notices; returns the next expiry, nil when none is open.
    @discardableResult
    public func sweep() async throws -> Date? {
        let queued = try await store.expireConversations(now: now()) { [registry] record in
            let notice = registry.conversation(named: record.name)?.timeoutNotice(after: record.limit)
                ?? "Your conversation timed out."
            return OutgoingMessage.texts(notice, to: record.chatID)
        }
        if !queued.isEmpty { await deliver(queued) }
        return try await store.nextConversationExpiry()
    }
}

/// Runs the sweeper at start (conversations that expired while the bot was down), then at each next expiry, at
/// least every `interval` (a conversation started meanwhile may expire sooner), until the graceful shutdown.
struct ConversationSweeperService<Services: Sendable>: Service {
    let sweeper: ConversationSweeper<Services>
    let interval: Duration
    let logger: Logger

    func run() async throws {
        repeat {
            var wait = interval
            do {
                if let next = try await sweeper.sweep() {
                    // Clamped before it becomes a Duration: a far-off (or absurd) expiry must not trap the conversion.
                    let until = min(max(0, next.timeIntervalSince(sweeper.now())), interval.inSeconds)
                    wait = min(interval, .milliseconds(Int64(until * 1000) + 1))
                }
            } catch {
                logger.warning("expired conversations not ended", metadata: ["error": "\(error)"])
            }
            let pause = wait
            guard (try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }) != nil else { return }
        } while true
    }
}
