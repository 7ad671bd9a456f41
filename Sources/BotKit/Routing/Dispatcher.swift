import Foundation
import Logging

/// Runs handlers: in order within a chat, concurrently across chats, at most `maxConcurrent` at once.
///
/// A handler's replies are stored in the same transaction that marks its
/// update handled, then given to the sender. Each start is counted in the
/// inbox first: an update whose handler took the process down `maxAttempts`
/// times is given up with a notice instead of run again, and a handler past
/// `handlerTimeout` is abandoned with a notice so its chat can go on.
public actor Dispatcher {
    public typealias Handler = @Sendable (InboxItem) async -> HandlerResult

    /// Starts of one update's handler that may end without a result (a crash, a kill) before the update is given up.
    public static let maxAttempts = 2

    private let handler: Handler
    private let store: BotStore
    private let sender: Sender
    private let logger: Logger
    private let maxBacklog: Int
    private let handlerTimeout: Duration
    /// The removal of an update's message that carried a secret: a given-up one is deleted with its notice.
    private let secretRemoval: @Sendable (Update) -> SecretGuard.Removal?

    /// Updates not yet started, by chat; a chat runs while one of its handlers does.
    private var lanes: ChatLanes<InboxItem>
    /// Handlers started and not yet settled, by update id; whoever removes an entry settles it.
    private var active: [Int64: (chat: Int64, item: InboxItem, work: Task<HandlerResult, Never>)] = [:]
    /// When each started handler's time is up, in start order (so in deadline order).
    private var deadlines = FIFO<(updateID: Int64, at: ContinuousClock.Instant)>()
    /// One timer for every deadline: a timer per handler would leave a cancelled sleep behind for each update.
    private var reaper: Task<Void, Never>?
    /// Results that came back after their time limit and were dropped (for tests).
    private(set) var lateResultsDropped = 0
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var capacityWaiters: [CheckedContinuation<Void, Never>] = []
    /// The poller's last batch, while it waits for the batch to settle (`waitUntilSettled`), and the waiting poller.
    private var unsettled: Set<Int64> = []
    private var settleWaiter: CheckedContinuation<Void, Never>?
    /// Where updates given up (a crash loop, a handler past its time) are counted.
    private let metrics: BotMetrics?

    public init(handler: @escaping Handler, store: BotStore, sender: Sender, maxConcurrent: Int = 64,
                maxBacklog: Int = 256, handlerTimeout: Duration = .seconds(60),
                secretRemoval: @escaping @Sendable (Update) -> SecretGuard.Removal? = { _ in nil },
                logger: Logger = Logger(label: "pollbot.dispatch"), metrics: BotMetrics? = nil) {
        self.metrics = metrics
        self.secretRemoval = secretRemoval
        self.handler = handler
        self.store = store
        self.sender = sender
        self.lanes = ChatLanes(limit: maxConcurrent)
        self.maxBacklog = maxBacklog
        self.handlerTimeout = handlerTimeout
        self.logger = logger
    }

    /// Queues recorded updates; suspends while the backlog is full, so the poller slows down instead of memory growing.
    /// `waitForRoom` false returns at once: the rows left pending by the last run are in memory already, and the
    /// services (the poller, systemd's READY) start only after they are queued. `watch` marks `items` as the batch
    /// `waitUntilSettled` waits for (the poller's, one batch at a time).
    public func submit(_ items: [InboxItem], waitForRoom: Bool = true, watch: Bool = false) async {
        if watch { unsettled = Set(items.map(\.update.updateID)) }
        for item in items { lanes.append(item, to: item.update.chatID ?? 0) }
        pump()
        while waitForRoom, lanes.count > maxBacklog, accepting {
            await withCheckedContinuation { capacityWaiters.append($0) }
        }
    }

    /// Waits until every update of the watched batch has settled (stored as handled, given up or put back), until
    /// `deadline`, or until `endSettleWait`, whichever comes first; at once while draining.
    public func waitUntilSettled(deadline: ContinuousClock.Instant) async {
        if accepting, !unsettled.isEmpty, settleWaiter == nil, ContinuousClock.now < deadline {
            await withCheckedContinuation { settleWaiter = $0 }
        }
        unsettled.removeAll()
    }

    /// Ends a `waitUntilSettled` now (the caller's deadline passed).
    public func endSettleWait() {
        settleWaiter?.resume()
        settleWaiter = nil
    }

    /// An update left the dispatcher: the poller's wait ends with the last of its batch.
    private func settled(_ updateID: Int64) {
        guard unsettled.remove(updateID) != nil, unsettled.isEmpty else { return }
        endSettleWait()
    }

    /// Stops starting handlers and waits for the running ones, at most `timeout`; returns whether all finished.
    @discardableResult
    public func drain(timeout: Duration) async -> Bool {
        accepting = false
        resume(&capacityWaiters)
        endSettleWait()
        if lanes.runningCount == 0 { return true }
        let deadline = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await self?.releaseIdleWaiters()
        }
        await withCheckedContinuation { idleWaiters.append($0) }
        deadline.cancel()
        return lanes.runningCount == 0
    }

    private func releaseIdleWaiters() { resume(&idleWaiters) }

    private func resume(_ waiters: inout [CheckedContinuation<Void, Never>]) {
        let taken = waiters
        waiters.removeAll()
        for waiter in taken { waiter.resume() }
    }

    private func pump() {
        while accepting, let (chat, item) = lanes.takeNext() {
            Task { await self.run(item, chat: chat) }
        }
        if lanes.count <= maxBacklog { resume(&capacityWaiters) }
    }

    private func run(_ item: InboxItem, chat: Int64) async {
        let updateID = item.update.updateID
        do {
            switch try await store.startAttempt(updateID: updateID, limit: Self.maxAttempts) {
            case .run: break
            case .settled: return release(chat, updateID)
            case .exhausted(let attempts):
                let errorID = ErrorID.make()
                logger.error("update given up: its handler started \(attempts) times and never finished (a crash or a kill)",
                             metadata: ["update_id": "\(updateID)", "chat": "\(chat)", "error_id": "\(errorID)"])
                return await giveUp(item, chat: chat, reason: "handler crashed or was killed \(attempts) times",
                                    errorID: errorID, notice: AbandonNotice.notRetried(item.update, errorID: errorID,
                                                                    removal: secretRemoval(item.update)))
            }
        } catch {
            // Not counted, so not run: the update stays pending and runs after a restart.
            logger.error("could not count a handler start", metadata: ["update_id": "\(updateID)", "error": "\(error)"])
            return release(chat, updateID)
        }
        let work = Task { [handler] in await handler(item) }
        active[updateID] = (chat, item, work)
        deadlines.append((updateID, .now + handlerTimeout))
        armReaper()
        let result = await work.value
        // Gone when the time limit settled it first: a late result is neither stored nor sent.
        guard active.removeValue(forKey: updateID) != nil else {
            lateResultsDropped += 1
            return
        }
        // Handlers mostly finish in start order: this keeps the deadline queue as short as the oldest running handler.
        while let head = deadlines.first, active[head.updateID] == nil { _ = deadlines.popFirst() }
        do {
            let stored = try await store.complete(updateID: updateID, replies: result.replies, log: result.log,
                                                  user: result.user, conversation: result.conversation)
            await sender.enqueue(stored)
        } catch {
            // The update stays pending in the inbox and runs again after a restart.
            logger.error("could not store the result of an update",
                         metadata: ["update_id": "\(updateID)", "error": "\(error)"])
        }
        release(chat, updateID)
    }

    private func armReaper() {
        guard reaper == nil, let next = deadlines.first else { return }
        reaper = Task { [weak self] in
            try? await Task.sleep(until: next.at, clock: .continuous)
            await self?.reap()
        }
    }

    /// Expires every handler past its deadline, forgets the finished ones, and sleeps until the next deadline.
    private func reap() async {
        reaper = nil
        var overdue: [Int64] = []
        while let head = deadlines.first, active[head.updateID] == nil || head.at <= .now {
            _ = deadlines.popFirst()
            if active[head.updateID] != nil { overdue.append(head.updateID) }
        }
        armReaper()
        for updateID in overdue { await expire(updateID) }
    }

    /// The time limit passed: tells the user, fails the row, frees the chat; the handler is cancelled and left behind.
    private func expire(_ updateID: Int64) async {
        guard let (chat, item, work) = active.removeValue(forKey: updateID) else { return }
        work.cancel()
        let errorID = ErrorID.make()
        let limit = AbandonNotice.describe(handlerTimeout)
        logger.error("handler stopped after its time limit", metadata: [
            "update_id": "\(updateID)", "chat": "\(chat)", "limit": "\(limit)", "error_id": "\(errorID)",
        ])
        await giveUp(item, chat: chat, reason: "timed out after \(limit)", errorID: errorID,
                     notice: AbandonNotice.timedOut(item.update, limit: handlerTimeout, errorID: errorID,
                                                   removal: secretRemoval(item.update)))
    }

    private func giveUp(_ item: InboxItem, chat: Int64, reason: String, errorID: String, notice: [OutgoingMessage]) async {
        metrics?.count("pollbot_updates_failed_total", [("kind", "given_up")])
        do {
            await sender.enqueue(try await store.fail(updateID: item.update.updateID, reason: reason, errorID: errorID,
                                                      notice: notice))
        } catch {
            logger.error("could not store a given-up update", metadata: ["update_id": "\(item.update.updateID)", "error": "\(error)"])
        }
        release(chat, item.update.updateID)
    }

    /// `updateID` has settled; its chat's next update may start.
    private func release(_ chat: Int64, _ updateID: Int64) {
        settled(updateID)
        lanes.finish(chat)
        pump()
        if lanes.runningCount == 0 { resume(&idleWaiters) }
    }
}
