import Foundation
import Logging

/// Runs handlers: in order within a chat, concurrently across chats, at most `maxConcurrent` at once.
///
/// A handler's replies are stored in the same transaction that marks its
/// update handled, then given to the sender.
public actor Dispatcher {
    public typealias Handler = @Sendable (InboxItem) async -> HandlerResult

    private let handler: Handler
    private let store: BotStore
    private let sender: Sender
    private let logger: Logger
    private let maxConcurrent: Int
    private let maxBacklog: Int

    private var lanes: [Int64: FIFO<InboxItem>] = [:]
    private var ready = FIFO<Int64>()
    private var running: Set<Int64> = []
    private var queued = 0
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private var capacityWaiters: [CheckedContinuation<Void, Never>] = []

    public init(handler: @escaping Handler, store: BotStore, sender: Sender, maxConcurrent: Int = 64,
                maxBacklog: Int = 2000, logger: Logger = Logger(label: "pollbot.dispatch")) {
        self.handler = handler
        self.store = store
        self.sender = sender
        self.maxConcurrent = maxConcurrent
        self.maxBacklog = maxBacklog
        self.logger = logger
    }

    /// Queues recorded updates; suspends while the backlog is full, so the poller slows down instead of memory growing.
    public func submit(_ items: [InboxItem]) async {
        for item in items {
            let chat = item.update.chatID ?? 0
            let wasIdle = lanes[chat] == nil && !running.contains(chat)
            lanes[chat, default: FIFO()].append(item)
            queued += 1
            if wasIdle { ready.append(chat) }
        }
        pump()
        while queued > maxBacklog, accepting {
            await withCheckedContinuation { capacityWaiters.append($0) }
        }
    }

    /// Stops starting handlers and waits for the running ones, at most `timeout`; returns whether all finished.
    @discardableResult
    public func drain(timeout: Duration) async -> Bool {
        accepting = false
        resume(&capacityWaiters)
        if running.isEmpty { return true }
        let deadline = Task { [weak self] in
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            await self?.releaseIdleWaiters()
        }
        await withCheckedContinuation { idleWaiters.append($0) }
        deadline.cancel()
        return running.isEmpty
    }

    private func releaseIdleWaiters() { resume(&idleWaiters) }

    private func resume(_ waiters: inout [CheckedContinuation<Void, Never>]) {
        let taken = waiters
        waiters.removeAll()
        for waiter in taken { waiter.resume() }
    }

    private func pump() {
        while accepting, running.count < maxConcurrent, let chat = ready.popFirst() {
            guard let item = lanes[chat]?.popFirst() else { continue }
            if lanes[chat]?.isEmpty == true { lanes[chat] = nil }
            queued -= 1
            running.insert(chat)
            Task { await self.run(item, chat: chat) }
        }
        if queued <= maxBacklog { resume(&capacityWaiters) }
    }

    private func run(_ item: InboxItem, chat: Int64) async {
        let result = await handler(item)
        do {
            let stored = try await store.complete(updateID: item.update.updateID, replies: result.replies, log: result.log,
                                                  user: result.user)
            await sender.enqueue(stored)
        } catch {
            // The update stays pending in the inbox and runs again after a restart.
            logger.error("could not store the result of an update",
                         metadata: ["update_id": "\(item.update.updateID)", "error": "\(error)"])
        }
        running.remove(chat)
        if lanes[chat] != nil { ready.append(chat) }
        pump()
        if running.isEmpty { resume(&idleWaiters) }
    }
}
