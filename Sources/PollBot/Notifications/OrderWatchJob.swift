import BotKit
import CSodium
import Foundation
import Logging

/// Watches the order books of users who want order notifications and tells each change once: filled (with the average
/// price), partially filled, rejected (with the broker's reason, where it gives one), cancelled.
///
/// One job for every account: each cycle reads each book once (accounts sharing a host and key share the read), and the
/// trade book only when an order is working or newly complete (fills and average prices are not in a live order book).
/// The changes' messages and the new memory of every book read are committed together, so a crash before the commit
/// repeats the cycle and nothing is lost or told twice; an account whose read failed keeps its memory and is compared
/// again next cycle. The first sight of an account is remembered silently.
///
/// Orders the bot placed itself: the confirmation already told their outcome (its follow-up polls the status until it
/// settles or about 6 s pass), so such an order new to the book is remembered silently, whatever its status, and only its
/// later changes are told. A limit order the follow-up left open is thus told when it fills; one that settles between the
/// follow-up's last poll and the watch's first sight of it (within one interval) is shown by /orderbook only.
///
/// Runs only while the market is open: a change after the close (an exchange's end-of-day cancellation) is not told,
/// as tomorrow's book no longer lists the order.
enum OrderWatchJob: JobKind {
    typealias Services = TraderServices

    /// No state in the job's row: the memory of each book is in the notifications module's tables, per account.
    struct Parameters: Codable, Sendable, Equatable {}

    static let name = "order_watch"
    /// The one job's key.
    static let key = "all"
    /// Books read at once: enough to finish a cycle, few enough to stay within OpenAlgo's rate limit of 10 calls a second.
    static let concurrentReads = 4

    /// The schedule `settings` ask for: every `order_check_interval` seconds while the market is open.
    static func schedule(_ settings: AlertSettings) -> JobSchedule {
        .within(window: PriceAlertJob.window, .every(seconds: settings.orderCheckInterval))
    }

    /// Schedules the watch unless it is already scheduled as `settings` ask; the first read comes one interval after
    /// `now`, so a starting bot does not add a burst of book reads to its own start.
    static func ensureScheduled(in store: BotStore, settings: AlertSettings, now: Date = Date()) async throws {
        try await store.ensureJob(Self.self, key: key, parameters: Parameters(), schedule: schedule(settings),
                                  now: now.addingTimeInterval(TimeInterval(settings.orderCheckInterval)))
    }

    static func run(_ parameters: Parameters, context: JobContext<TraderServices>) async throws -> JobResult<Parameters> {
        let services = context.services, store = services.store
        let watchers = try await store.orderWatchers(paper: services.trading.paper != nil)
        let groups = await BookGroup.make(watchers, hub: services.trading, logger: context.logger)
        let reads = await withTaskGroup(of: [BookRead].self) { group in
            var pending = groups[...], all: [BookRead] = []
            func start() {
                guard let next = pending.popFirst() else { return }
                group.addTask { await next.read(store: store, logger: context.logger) }
            }
            for _ in 0..<concurrentReads { start() }
            for await reads in group {
                all += reads
                start()
            }
            return all
        }
        // Every book failing is a failing job (counted, backed off, reported to admins); some failing is a partial cycle.
        if !reads.isEmpty, reads.allSatisfy({ $0.memory == nil }), let failure = reads.compactMap(\.failure).first {
            throw JobFailure(failure)
        }
        let format = AlertText.format(services.config)
        var messages: [OutgoingMessage] = []
        for read in reads where !read.changes.isEmpty {
            let level = try await store.notificationLevel(.orders, of: read.watcher.userID)
            messages += level.apply(to: read.changes.map {
                .text($0.text(account: read.watcher.account, at: context.now, format: format), to: read.watcher.userID)
            })
        }
        let memories = reads.compactMap { read in read.memory.map { (watcher: read.watcher, orders: $0) } }
        let now = context.now
        return JobResult(messages: messages, storeWork: { store in try store.saveWatchMemory(memories, watched: watchers, now: now) })
    }
}

/// The accounts that read one order book: the same key on the same host (or one user's paper account).
struct BookGroup: Sendable {
    var broker: ResilientBroker
    var members: [OrderWatcher]

    /// `watchers` grouped by host and key; an account whose key no longer opens (or whose host left bot.toml) is skipped.
    static func make(_ watchers: [OrderWatcher], hub: TradingHub, logger: Logger) async -> [BookGroup] {
        var groups: [String: BookGroup] = [:], order: [String] = []
        for watcher in watchers {
            let key: String, broker: any Broker
            if let linked = watcher.linked {
                do {
                    let accounts = AccountContext(userID: watcher.userID, store: hub.store, vault: hub.vault, broker: hub.broker)
                    broker = try accounts.client(for: linked)
                    let secret = try hub.vault.openSecret(linked.sealed, userID: watcher.userID, account: linked.name, host: linked.host)
                    key = linked.host + " " + fingerprint(secret)
                } catch {
                    logger.info("order watch skips an account", metadata: ["user": "\(watcher.userID)", "error": "\(error)"])
                    continue
                }
            } else if let paper = hub.paper {
                key = "paper \(watcher.userID)"
                broker = await paper.broker(for: watcher.userID)
            } else {
                continue
            }
            if groups[key] == nil {
                order.append(key)
                groups[key] = BookGroup(broker: ResilientBroker(broker, breaker: hub.breaker, delays: hub.retryDelays), members: [])
            }
            groups[key]?.members.append(watcher)
        }
        return order.compactMap { groups[$0] }
    }

    /// A digest of the key, kept only in memory to tell which accounts share a book.
    private static func fingerprint(_ secret: SecretBytes) -> String {
        var hash = [UInt8](repeating: 0, count: 16)
        secret.withBytes { raw in
            _ = crypto_generichash(&hash, 16, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(raw.count), nil, 0)
        }
        return hash.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// One read of the book for every member: each member's changes and new memory, or the failure for all of them.
    func read(store: BotStore, logger: Logger) async -> [BookRead] {
        do {
            var memories: [(OrderWatcher, [String: WatchedOrder]?)] = []
            for member in members { memories.append((member, try await store.watchMemory(of: member).orders)) }
            let book = try await broker.orderBook().orders
            let newlyComplete = memories.contains { _, memory in
                guard let memory else { return false }
                return book.contains { OrderChange.phase($0.status) == .complete && OrderChange.phase(memory[$0.orderID]?.status ?? "") != .complete }
            }
            let working = book.contains { OrderChange.phase($0.status) == .working }
            let fills = working || newlyComplete ? OrderFill.byOrder(try await broker.tradeBook()) : [:]
            var statuses: [String: OrderStatus?] = [:]
            var reads: [BookRead] = []
            for (member, memory) in memories {
                var changes: [OrderChange] = []
                if let memory {
                    let new = Set(book.map(\.orderID)).subtracting(memory.keys)
                    let quiet = try await store.ordersPlacedByBot(new, of: member.userID)
                    changes = OrderChange.changes(from: memory, to: book, fills: fills, quiet: quiet)
                    for index in changes.indices { changes[index] = await detailed(changes[index], statuses: &statuses) }
                }
                reads.append(BookRead(watcher: member, memory: OrderChange.memory(of: book, fills: fills), changes: changes))
            }
            return reads
        } catch {
            logger.warning("order book not read for notifications", metadata: ["host": "\(broker.host)", "error": "\(error)"])
            return members.map { BookRead(watcher: $0, memory: nil, changes: [], failure: "\(broker.host): \(error)") }
        }
    }

    /// A rejection's reason and a fill's average price when the books lacked it, from orderstatus; best effort, as live
    /// OpenAlgo often has neither (the message then says so), and one order's status never holds back the others'.
    private func detailed(_ change: OrderChange, statuses: inout [String: OrderStatus?]) async -> OrderChange {
        var change = change
        switch change.kind {
        case .rejected(nil), .filled(nil): break
        default: return change
        }
        let id = change.order.orderID
        if statuses[id] == nil { statuses[id] = .some(try? await broker.orderStatus(id: id)) }
        guard let status = statuses[id] ?? nil else { return change }
        if case .rejected = change.kind, let reason = status.rejectionReason { change.kind = .rejected(reason: reason) }
        if case .filled = change.kind, status.averagePrice.isFinite, status.averagePrice > 0 { change.kind = .filled(average: status.averagePrice) }
        return change
    }
}

/// One member's part of a cycle: its changes and the memory to keep, or nil memory when the book could not be read.
struct BookRead: Sendable {
    var watcher: OrderWatcher
    var memory: [String: WatchedOrder]?
    var changes: [OrderChange]
    var failure: String?
}
