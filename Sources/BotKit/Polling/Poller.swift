import Foundation
import Logging

/// The getUpdates loop: records each batch durably, then hands it to the dispatcher.
///
/// The next call's offset confirms a batch to Telegram only after the batch is
/// committed to the inbox, so a crash at any point loses no update; the
/// inbox's primary key makes a re-delivered update a no-op.
public actor Poller {
    /// Update kinds the bot asks for; stating them overrides an old webhook's filter.
    public static let allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"]

    private let client: TelegramClient
    private let store: BotStore
    private let dispatcher: Dispatcher
    private let pollTimeout: Int
    private let logger: Logger
    private var backoff = Backoff()
    /// True until a round returns less than a full batch: until then every update is backlog.
    private var drainingBacklog = true
    /// True once a getUpdates round came back short: the backlog is drained and start-up is over.
    public var hasCaughtUp: Bool { !drainingBacklog }
    /// Updates handed to the dispatcher since start: it stops growing when the bot goes quiet.
    public private(set) var updatesReceived = 0
    /// When the previous run last heard from Telegram: backlog updates waited in its queue since then at most.
    private var downSince: Date??
    /// When this run last wrote `last_poll_at`.
    private var stampedAt: ContinuousClock.Instant?
    /// The offset the next round asks for: read from the store once, then kept here, since only this loop writes it
    /// (one store call less per round; at a steady trickle every update is a round of its own).
    private var nextOffset: Int64?
    /// Telegram's largest getUpdates batch.
    static let batchLimit = 100
    /// When the loop last completed a round; the watchdog checks it.
    public private(set) var lastRound = ContinuousClock.now
    /// When getUpdates last answered; the readiness test checks it. A start counts as an answer (getMe just was).
    public private(set) var lastSuccess = ContinuousClock.now
    /// Where received updates are counted, by kind.
    private let metrics: BotMetrics?

    /// How long a round waits for its batch to settle and its replies to go out before asking for the next.
    ///
    /// The next getUpdates would otherwise run beside the handlers it follows: on a VPS of one or two cores its
    /// request (and, in the benchmark, the fake Telegram answering it) took the CPU from them. Telegram keeps what
    /// arrives meanwhile, so nothing is lost: an update that comes during the wait is fetched at most this much
    /// later, and a slow handler (a broker call) holds the loop no longer than this.
    private let settleWithin: Duration

    /// Where the batch's replies go out; the round waits for their transfers too.
    private let sender: Sender?

    public init(client: TelegramClient, store: BotStore, dispatcher: Dispatcher, sender: Sender? = nil, pollTimeout: Int,
                settleWithin: Duration = .milliseconds(2),
                logger: Logger = Logger(label: "pollbot.poller"), metrics: BotMetrics? = nil) {
        self.settleWithin = settleWithin
        self.sender = sender
        self.metrics = metrics
        self.client = client
        self.store = store
        self.dispatcher = dispatcher
        self.pollTimeout = pollTimeout
        self.logger = logger
    }

    /// Polls until the task is cancelled, then returns (also from a backoff sleep); throws `BotStartupError.tokenRejected` on 401.
    public func run() async throws {
        while !Task.isCancelled {
            do {
                try await pollOnce()
                backoff.reset()
            } catch is CancellationError {
                return
            } catch let error as TelegramError {
                try await recover(from: error)
            } catch {
                logger.error("storing updates failed", metadata: ["error": "\(error)"])
                await pause(seconds: backoff.next())
            }
            lastRound = .now
        }
    }

    /// One getUpdates round; returns the number of new updates.
    @discardableResult
    public func pollOnce() async throws -> Int {
        let offset: Int64
        if let nextOffset { offset = nextOffset } else { offset = try await store.pollOffset() }
        nextOffset = offset
        // The first rounds after a start ask without waiting: what they get waited in Telegram's queue while the
        // bot was down (the backlog), which is how a button pressed during downtime is told from a fresh press.
        let backlog = drainingBacklog
        if downSince == nil { downSince = .some(try await store.lastTelegramAnswer()) }
        let slots = try await client.getUpdates(offset: offset, timeout: backlog ? 0 : pollTimeout, allowedUpdates: Self.allowedUpdates)
        lastSuccess = .now
        if slots.count < Self.batchLimit { drainingBacklog = false }
        metrics?.countReceived(slots)
        try await stamp()
        guard !slots.isEmpty else { return 0 }
        for slot in slots where slot.update == nil {
            logger.warning("undecodable update skipped", metadata: [
                "update_id": "\(slot.updateID.map(String.init) ?? "?")", "error": "\(slot.decodingError ?? "")",
            ])
        }
        var fresh = try await store.record(slots)
        // The same rule `record` stored the offset by: one above the highest id seen, never lower than before.
        nextOffset = slots.compactMap(\.updateID).max().map { max(offset, BotStore.offset(after: $0)) } ?? offset
        if backlog, let since = downSince ?? nil {
            for index in fresh.indices { fresh[index].waitedSince = since }
        }
        updatesReceived += fresh.count
        await dispatcher.submit(fresh, watch: settleWithin > .zero)
        await settle(within: settleWithin)
        return fresh.count
    }

    /// Waits until the batch's handlers have settled and their replies have gone out, at most `limit`.
    private func settle(within limit: Duration) async {
        guard limit > .zero else { return }
        let deadline = ContinuousClock.now + limit
        let timer = Task { [dispatcher, sender] in
            guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
            await dispatcher.endSettleWait()
            await sender?.endTransfersWait()
        }
        await dispatcher.waitUntilSettled(deadline: deadline)
        await sender?.waitUntilTransfersDone(deadline: deadline)
        timer.cancel()
    }

    /// Records that Telegram answered, at most every 30 s: after a crash the next run knows how long it was down.
    private func stamp() async throws {
        if let stampedAt, stampedAt.duration(to: .now) < .seconds(30) { return }
        try await store.noteTelegramAnswer()
        stampedAt = .now
    }

    private func recover(from error: TelegramError) async throws {
        switch error.code {
        case 401:
            throw BotStartupError.tokenRejected
        case 409:
            let what = error.lowercasedDescription.contains("webhook")
                ? "a webhook is set for this bot token; pollbot removes it at start, something set it again"
                : "another program is polling with this bot token; stop the other pollbot or bot instance"
            let delay = backoff.next()
            logger.critical("Telegram conflict (409): \(what)", metadata: ["retry_in_s": "\(FixedPoint.format(delay, decimals: 1))"])
            await pause(seconds: delay)
        case 429:
            let wait = Double(error.retryAfter ?? 5)
            logger.warning("getUpdates rate limited", metadata: ["retry_after_s": "\(Int(wait))"])
            await pause(seconds: wait)
        default:
            let delay = backoff.next()
            logger.warning("getUpdates failed", metadata: ["error": "\(error)", "retry_in_s": "\(FixedPoint.format(delay, decimals: 1))"])
            await pause(seconds: delay)
        }
    }

    /// Sleeps, or returns at once when the task is cancelled: a stop during a backoff still shuts down gracefully.
    private func pause(seconds: Double) async {
        try? await Task.sleep(for: .seconds(seconds))
    }
}

extension TelegramError {
    /// `retry_after` of a 429.
    public var retryAfter: Int? {
        if case let .api(_, _, retryAfter, _) = self { return retryAfter }
        return nil
    }
}

/// Reasons the bot cannot start or must stop, with the exit code systemd should see.
public enum BotStartupError: Error, CustomStringConvertible {
    case tokenRejected
    case config(String)
    case alreadyRunning(String)

    public var description: String {
        switch self {
        case .tokenRejected: return "Telegram rejected the bot token (401): check [telegram] token in bot.toml"
        case .config(let message): return message
        case .alreadyRunning(let message): return message
        }
    }

    /// 78 (EX_CONFIG) for what only the operator can fix, so systemd does not restart in a loop.
    public var exitCode: Int32 {
        switch self {
        case .tokenRejected, .config: return 78
        case .alreadyRunning: return 1
        }
    }
}
