import Foundation
import Logging

/// The whole bot: store, Telegram client, poller, dispatcher and sender, started and stopped in order.
public actor Bot<Services: Sendable> {
    private let settings: BotSettings
    private let app: BotApp<Services>
    private let logger: Logger
    private let lock: InstanceLock
    private let store: BotStore
    private let client: TelegramClient
    private let sender: Sender
    private let notifier: SystemdNotifier
    private let vault: Vault
    private var poller: Poller?
    private var dispatcher: Dispatcher?
    private var pollTask: Task<Void, any Error>?
    private var stopRequested = false

    /// Takes the instance lock, loads the keys and opens the database; nothing touches the network yet.
    /// `telegram` replaces the network for the Bot API (the offline demo).
    public init(settings: BotSettings, app: BotApp<Services>, logger: Logger = Logger(label: "pollbot"),
                telegram: any HTTPTransport = CurlEngine.shared) throws {
        self.settings = settings
        self.app = app
        self.logger = logger
        do {
            vault = try KeyRing.load(keyFile: settings.keyFile)
        } catch let error as ConfigError {
            throw BotStartupError.config(error.message)
        }
        lock = try InstanceLock(databasePath: settings.databasePath)
        do {
            store = try BotStore(path: settings.databasePath, vault: vault, schemas: app.schemas, sealedRows: app.sealedRows)
        } catch {
            throw BotStartupError.config("cannot open the database at \(settings.databasePath): \(error); check [storage] path")
        }
        client = TelegramClient(apiURL: settings.apiURL, token: settings.token, engine: telegram)
        sender = Sender(client: client, store: store, floodLimits: settings.floodLimits, logger: Logger(label: "pollbot.sender"))
        notifier = SystemdNotifier()
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully; returns the process exit code.
    public static func main(settings: BotSettings, app: BotApp<Services>, logger: Logger) async -> Int32 {
        let signals = ShutdownSignals()
        do {
            let bot = try Bot(settings: settings, app: app, logger: logger)
            let run = Task { try await bot.run() }
            Task {
                let number = await signals.wait()
                logger.notice("signal \(number) received, shutting down")
                await bot.requestStop()
                run.cancel()
            }
            try await run.value
            return 0
        } catch let error as BotStartupError {
            logger.critical("\(error)")
            return error.exitCode
        } catch let error as ConfigError {
            logger.critical("\(error)")
            return 78
        } catch is CancellationError {
            return 0
        } catch {
            logger.critical("pollbot stopped: \(error)")
            return 1
        }
    }

    /// Starts, polls until `requestStop`, then drains handlers, flushes the outbox and confirms the offset.
    public func run() async throws {
        let services = try await app.makeServices(store, vault)
        let identity = try await connect()
        try await sender.resume()
        let bot = BotContext(identity: identity, store: store, logger: logger, help: app.registry.help,
                             chatAction: { [client] chatID, action in await client.sendChatAction(chatID, action) },
                             deleteNow: { [client] chatID, messageID in await client.deleteNow(chatID, messageID) })
        let secrets = SecretGuard(policy: app.secrets, deleteNow: bot.deleteNow)
        let limiter = UserRateLimiter(perMinute: settings.userPerMinute, burst: settings.userBurst,
                                      globalPerSecond: settings.globalPerSecond)
        let router = UpdateRouter(
            registry: app.registry, bot: bot, services: services, secrets: secrets, limiter: limiter,
            middleware: UpdateRouter.standardChain(secrets: secrets, staleAfter: TimeInterval(settings.staleAfter),
                                                   timeZone: settings.timeZone,
                                                   access: AccessPolicy(allowedUsers: settings.allowedUsers, admins: settings.admins),
                                                   limiter: limiter))
        let dispatcher = Dispatcher(handler: { await router.handle($0) }, store: store, sender: sender,
                                    handlerTimeout: .seconds(settings.handlerTimeout),
                                    secretRemoval: { [registry = app.registry, username = identity.username] update in
                                        guard let message = update.message else { return nil }
                                        let parsed = CommandParser.parse(message, botUsername: username)
                                        let carries = parsed.flatMap { registry.command(named: $0.name)?.carriesSecret } ?? false
                                        return carries || secrets.policy.exposes(message) ? secrets.queuedRemoval(of: message) : nil
                                    },
                                    logger: Logger(label: "pollbot.dispatch"))
        self.dispatcher = dispatcher
        await dispatcher.submit(try await store.pendingInbox(logger: logger))
        let poller = Poller(client: client, store: store, dispatcher: dispatcher, pollTimeout: settings.pollTimeout)
        self.poller = poller
        notifier.ready()
        logger.notice("pollbot is running", metadata: ["bot": "@\(identity.username)", "token": "\(settings.redactedToken)"])
        let watchdog = startWatchdog(poller)
        let housekeeping = startHousekeeping()
        defer {
            watchdog?.cancel()
            housekeeping.cancel()
        }
        if !stopRequested {
            let task = Task { try await poller.run() }
            pollTask = task
            do {
                try await task.value
            } catch is CancellationError {
                // A stop request: the graceful shutdown below still runs.
            }
        }
        await shutdown()
    }

    /// True once update `updateID` is handled and every reply has been accepted (the demo waits for this).
    public func isSettled(through updateID: Int64) async -> Bool {
        guard let handled = try? await store.isHandled(updateID: updateID), handled else { return false }
        return (try? await store.outboxCount()) == 0
    }

    /// Stops polling at once (the open long poll is cancelled).
    public func requestStop() {
        stopRequested = true
        pollTask?.cancel()
    }

    private func connect() async throws -> BotIdentity {
        var backoff = Backoff()
        while true {
            try Task.checkCancellation()
            do {
                let identity = try await client.getMe()
                try await client.deleteWebhook()
                try await client.setMyCommands(app.registry.menu)
                return identity
            } catch let error as TelegramError where error.code == 401 {
                throw BotStartupError.tokenRejected
            } catch let error as TelegramError {
                let delay = backoff.next()
                logger.warning("cannot reach Telegram at start", metadata: ["error": "\(error)", "retry_in_s": "\(Int(delay))"])
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }

    private func shutdown() async {
        notifier.stopping()
        // Unstructured tasks: the caller may be cancelled, the shutdown steps must still run.
        await Task { [dispatcher, sender, store, client, logger] in
            if let dispatcher, await !dispatcher.drain(timeout: .seconds(10)) {
                logger.warning("handlers still running after 10 s; their updates run again at next start")
            }
            if await !sender.flush(timeout: .seconds(10)) {
                let backlog = await sender.backlog
                logger.warning("\(backlog) messages still queued; they are sent at next start")
            }
            do {
                let offset = try await store.pollOffset()
                _ = try await client.getUpdates(offset: offset, limit: 1, timeout: 0, allowedUpdates: Poller.allowedUpdates)
            } catch {
                logger.notice("offset not confirmed at shutdown; Telegram resends, the inbox ignores repeats", metadata: ["error": "\(error)"])
            }
            logger.notice("pollbot stopped")
        }.value
    }

    /// Prunes the inbox and the command log at start, then every six hours while running; a rotated-out
    /// master key (`key_file.old`) is deleted once pruning leaves no row sealed with it.
    private func startHousekeeping() -> Task<Void, Never> {
        Task { [store, logger, logDays = settings.logDays, keyFile = settings.keyFile] in
            repeat {
                do {
                    try await store.pruneInbox(olderThan: 2 * 86_400)
                    try await store.pruneCommandLog(olderThanDays: logDays)
                } catch {
                    logger.warning("pruning old rows failed", metadata: ["error": "\(error)"])
                }
                do {
                    if try await KeyRing.retireUnusedOldKey(store: store, keyFile: keyFile) {
                        logger.notice("the previous master key \(keyFile).old sealed no stored row any more and was deleted")
                    }
                } catch {
                    logger.warning("the previous master key could not be retired", metadata: ["error": "\(error)"])
                }
            } while (try? await Task.sleep(for: .seconds(6 * 3600))) != nil
        }
    }

    private func startWatchdog(_ poller: Poller) -> Task<Void, Never>? {
        guard let interval = notifier.watchdogInterval else { return nil }
        let stall = Duration.seconds(settings.pollTimeout + 10 + 45)
        return Task { [notifier] in
            while !Task.isCancelled {
                // Ping only while the poll loop turns: a wedged bot gets restarted by systemd.
                if await poller.lastRound.duration(to: .now) < stall { notifier.watchdog() }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
