import Foundation
import Logging

/// The whole bot: store, Telegram client, poller, dispatcher and sender, started and stopped in order.
public actor Bot {
    private let config: BotConfig
    private let logger: Logger
    private let lock: InstanceLock
    private let store: BotStore
    private let client: TelegramClient
    private let sender: Sender
    private let registry: CommandRegistry
    private let notifier: SystemdNotifier
    private let vault: Vault
    private let trading: TradingHub
    private var poller: Poller?
    private var dispatcher: Dispatcher?
    private var pollTask: Task<Void, any Error>?
    private var stopRequested = false

    /// Takes the instance lock and opens the database; nothing touches the network yet.
    /// `telegram` replaces the network for the Bot API (the offline demo).
    public init(config: BotConfig, registry: CommandRegistry = .standard, logger: Logger = Logger(label: "pollbot"),
                telegram: any HTTPTransport = CurlEngine.shared, trading: TradingHub? = nil) throws {
        self.config = config
        self.logger = logger
        self.registry = registry
        do {
            vault = try KeyRing.load(keyFile: config.security.keyFile)
        } catch let error as ConfigError {
            throw BotStartupError.config(error.message)
        }
        lock = try InstanceLock(databasePath: config.storage.path)
        do {
            store = try BotStore(path: config.storage.path, vault: vault)
        } catch {
            throw BotStartupError.config("cannot open the database at \(config.storage.path): \(error); check [storage] path")
        }
        client = TelegramClient(apiURL: config.telegram.apiURL, token: config.telegram.token, engine: telegram)
        sender = Sender(client: client, store: store, floodLimits: config.telegram.floodLimits,
                        logger: Logger(label: "pollbot.sender"))
        notifier = SystemdNotifier()
        self.trading = trading ?? TradingHub(config: config)
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully; returns the process exit code.
    public static func main(config: BotConfig, logger: Logger, registry: CommandRegistry = .standard) async -> Int32 {
        let signals = ShutdownSignals()
        do {
            let bot = try Bot(config: config, registry: registry, logger: logger)
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
        } catch is CancellationError {
            return 0
        } catch {
            logger.critical("pollbot stopped: \(error)")
            return 1
        }
    }

    /// Starts, polls until `requestStop`, then drains handlers, flushes the outbox and confirms the offset.
    public func run() async throws {
        let identity = try await connect()
        try await sender.resume()
        var services = BotServices(identity: identity, registry: registry, store: store, vault: vault, config: config,
                                   trading: trading, logger: logger)
        services.chatAction = { [client] chatID, action in
            struct Parameters: Encodable {
                var chat_id: Int64
                var action: String
            }
            _ = try? await client.call("sendChatAction", Parameters(chat_id: chatID, action: action), as: Ignored.self,
                                       timeout: .seconds(5))
        }
        services.deleteNow = { [client] chatID, messageID in
            struct Parameters: Encodable {
                var chat_id: Int64
                var message_id: Int64
            }
            return (try? await client.call("deleteMessage", Parameters(chat_id: chatID, message_id: messageID), as: Ignored.self,
                                           timeout: .seconds(10))) != nil
        }
        let router = UpdateRouter(
            services: services, staleAfter: TimeInterval(config.telegram.staleAfter),
            timeZone: config.broker.timeZone,
            access: AccessPolicy(allowedUsers: config.security.allowedUsers, admins: config.security.admins),
            limiter: UserRateLimiter(perMinute: config.limits.userPerMinute, burst: config.limits.userBurst,
                                     globalPerSecond: config.limits.globalPerSecond))
        let dispatcher = Dispatcher(handler: { await router.handle($0) }, store: store, sender: sender,
                                    handlerTimeout: .seconds(config.limits.handlerTimeout),
                                    carriesSecret: { [registry, username = identity.username] update in
                                        guard let message = update.message else { return false }
                                        if SecretGuard.exposesAPIKey(message) { return true }
                                        let parsed = CommandParser.parse(message, botUsername: username)
                                        return parsed.flatMap { registry.command(named: $0.name)?.carriesSecret } ?? false
                                    },
                                    logger: Logger(label: "pollbot.dispatch"))
        self.dispatcher = dispatcher
        await dispatcher.submit(try await store.pendingInbox(logger: logger))
        let poller = Poller(client: client, store: store, dispatcher: dispatcher, pollTimeout: config.telegram.pollTimeout)
        self.poller = poller
        notifier.ready()
        logger.notice("pollbot is running", metadata: ["bot": "@\(identity.username)", "token": "\(config.redactedToken)"])
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
                try await client.setMyCommands(registry.menu)
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
        Task { [store, logger, logDays = config.storage.logDays, keyFile = config.security.keyFile] in
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
        let stall = Duration.seconds(config.telegram.pollTimeout + 10 + 45)
        return Task { [notifier] in
            while !Task.isCancelled {
                // Ping only while the poll loop turns: a wedged bot gets restarted by systemd.
                if await poller.lastRound.duration(to: .now) < stall { notifier.watchdog() }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
