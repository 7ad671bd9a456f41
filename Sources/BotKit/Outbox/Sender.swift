import Foundation
import Logging

/// Delivers the outbox: in order within a chat, concurrently across chats, within Telegram's flood limits.
///
/// A row leaves the outbox only when Telegram has accepted it or can never
/// accept it, so after a crash the one message that may repeat is one that
/// Telegram accepted in the instant before its row was removed. A row whose
/// removal fails is never sent again: its removal is retried until it succeeds.
public actor Sender {
    private let client: TelegramClient
    private let store: BotStore
    private let logger: Logger
    private var limiter: FloodLimiter
    /// Rows not yet delivered, by chat; a chat runs while its head row is in flight, and is held while it must wait.
    private var lanes: ChatLanes<OutboxItem>
    private var globalWakeScheduled = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Deliveries waiting on Telegram's answer, and the poller waiting for them to end (`waitUntilTransfersDone`).
    private var transfers = 0
    private var transfersWaiter: CheckedContinuation<Void, Never>?
    /// Rows Telegram accepted (or refused for good) whose removal from the store failed, with how they ended.
    private var unremoved: [Int64: DeliveryGroupOutcome] = [:]
    private var removalRetryScheduled = false
    private let removalRetry: Duration
    /// Where deliveries and their failures are counted.
    private let metrics: BotMetrics?

    public init(client: TelegramClient, store: BotStore, floodLimits: Bool, maxInFlight: Int = 16,
                removalRetry: Duration = .seconds(1), logger: Logger = Logger(label: "pollbot.sender"),
                metrics: BotMetrics? = nil) {
        self.metrics = metrics
        self.client = client
        self.store = store
        self.limiter = FloodLimiter(enabled: floodLimits)
        // A delivery group's rows (an announcement to every user) go after everything else waiting.
        self.lanes = ChatLanes(limit: maxInFlight) { $0.message.deliveryGroup != nil }
        self.removalRetry = removalRetry
        self.logger = logger
    }

    /// Loads rows left by an earlier run; call once before the first enqueue.
    public func resume() async throws {
        enqueue(try await store.pendingOutbox())
    }

    /// Takes newly stored rows.
    public func enqueue(_ items: [OutboxItem]) {
        for item in items { lanes.append(item, to: item.message.chatID) }
        pump()
    }

    /// Number of rows not yet delivered.
    public var backlog: Int { lanes.count }

    /// Waits until every queued row is delivered and removed, or `timeout` passes; returns whether all went.
    @discardableResult
    public func flush(timeout: Duration) async -> Bool {
        if isIdle { return true }
        let deadline = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await self?.releaseWaiters()
        }
        await withCheckedContinuation { idleWaiters.append($0) }
        deadline.cancel()
        return isIdle
    }

    /// Waits until no delivery is waiting on Telegram's answer, until `deadline`, or until `endTransfersWait`.
    public func waitUntilTransfersDone(deadline: ContinuousClock.Instant) async {
        guard transfers > 0, transfersWaiter == nil, ContinuousClock.now < deadline else { return }
        await withCheckedContinuation { transfersWaiter = $0 }
    }

    /// Ends a `waitUntilTransfersDone` now (the caller's deadline passed).
    public func endTransfersWait() {
        transfersWaiter?.resume()
        transfersWaiter = nil
    }

    private var isIdle: Bool { lanes.isEmpty && lanes.runningCount == 0 && unremoved.isEmpty }

    private func releaseWaiters() {
        let waiters = idleWaiters
        idleWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }

    private func pump() {
        while let (chat, item) = lanes.next() {
            switch limiter.admit(item.message) {
            case .send:
                lanes.start(chat)
                Task { await self.deliver(item) }
            case .waitChat(let wait):
                park(chat, for: wait)
            case .waitAll(let wait):
                wakeAll(after: wait)
                return
            }
        }
        if isIdle { releaseWaiters() }
    }

    private func park(_ chat: Int64, for wait: Duration) {
        lanes.hold(chat)
        Task {
            try? await Task.sleep(for: wait)
            self.unpark(chat)
        }
    }

    private func unpark(_ chat: Int64) {
        lanes.unhold(chat)
        pump()
    }

    private func wakeAll(after wait: Duration) {
        guard !globalWakeScheduled else { return }
        globalWakeScheduled = true
        Task {
            try? await Task.sleep(for: wait)
            self.globalWakeScheduled = false
            self.pump()
        }
    }

    private func deliver(_ item: OutboxItem) async {
        let outcome: DeliveryOutcome
        transfers += 1
        do {
            if let parts = PayloadRewrite.multipart(item.message.payload) {
                _ = try await client.upload(item.message.method, parts: parts, as: Ignored.self)
            } else {
                _ = try await client.callJSON(item.message.method, body: item.message.payload, as: Ignored.self)
            }
            outcome = .delivered
        } catch let error as TelegramError {
            outcome = DeliveryOutcome(error)
            if outcome != .delivered { log(error, outcome, item) }
        } catch {
            outcome = .retryWithBackoff
        }
        transfers -= 1
        if transfers == 0 { endTransfersWait() }
        metrics?.countReply(outcome)
        await settle(item, outcome)
        lanes.finish(item.message.chatID)
        pump()
    }

    private func settle(_ item: OutboxItem, _ outcome: DeliveryOutcome) async {
        let chat = item.message.chatID
        do {
            switch outcome {
            case .delivered, .drop:
                // Out of the queue before the store is touched: a failed removal must not send it again.
                lanes.popHead(of: chat)
                await remove(item.id, outcome == .delivered ? .sent : .failed)
            case .waitAndRetry(let seconds):
                park(chat, for: .seconds(seconds))
            case .retryWithBackoff:
                var retried = item
                retried.attempts += 1
                lanes.replaceHead(of: chat, with: retried)
                try await store.updateOutbox(id: item.id, payload: item.message.payload, attempts: retried.attempts)
                let delay = min(30, pow(1.5, Double(retried.attempts - 1))) * Double.random(in: 0.8...1.0)
                park(chat, for: .seconds(delay))
            case .resendAsPlainText:
                if let plain = PayloadRewrite.plainText(item.message.payload) {
                    var rewritten = item
                    rewritten.message.payload = plain
                    rewritten.attempts += 1
                    lanes.replaceHead(of: chat, with: rewritten)
                    try await store.updateOutbox(id: item.id, payload: plain, attempts: rewritten.attempts)
                } else {
                    try await store.removeOutbox(id: item.id, outcome: .failed)
                    lanes.popHead(of: chat)
                }
            case .migrate(let newChat):
                let moved = try await store.migrateChat(from: chat, to: newChat)
                lanes.removeLane(chat)
                for movedItem in moved { lanes.append(movedItem, to: newChat) }
            case .chatGone:
                try await store.deactivateChat(chat)
                lanes.removeLane(chat)
            }
        } catch {
            logger.error("outbox update failed", metadata: ["chat": "\(chat)", "error": "\(error)"])
            park(chat, for: .seconds(5))
        }
    }

    private func remove(_ id: Int64, _ outcome: DeliveryGroupOutcome) async {
        do {
            try await store.removeOutbox(id: id, outcome: outcome)
        } catch {
            unremoved[id] = outcome
            logger.error("sent message not removed from the outbox; retrying, it is not sent again",
                         metadata: ["row": "\(id)", "error": "\(error)"])
            scheduleRemovalRetry()
        }
    }

    private func scheduleRemovalRetry() {
        guard !removalRetryScheduled else { return }
        removalRetryScheduled = true
        Task {
            try? await Task.sleep(for: removalRetry)
            await self.retryRemovals()
        }
    }

    private func retryRemovals() async {
        removalRetryScheduled = false
        for (id, outcome) in unremoved.sorted(by: { $0.key < $1.key }) {
            guard (try? await store.removeOutbox(id: id, outcome: outcome)) != nil else { break }
            unremoved[id] = nil
        }
        if unremoved.isEmpty { logger.notice("outbox removals caught up") } else { scheduleRemovalRetry() }
        if isIdle { releaseWaiters() }
    }

    private func log(_ error: TelegramError, _ outcome: DeliveryOutcome, _ item: OutboxItem) {
        let metadata: Logger.Metadata = [
            "chat": "\(item.message.chatID)", "method": "\(item.message.method)", "error": "\(error)",
            "action": "\(outcome)", "attempt": "\(item.attempts + 1)",
        ]
        switch outcome {
        case .drop, .chatGone: logger.warning("message not delivered", metadata: metadata)
        default: logger.notice("delivery deferred", metadata: metadata)
        }
    }
}
