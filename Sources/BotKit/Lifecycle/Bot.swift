import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The whole bot: store, Telegram client, and the poller, dispatcher, sender, housekeeping, conversation sweeper, job
/// scheduler, admin listener and systemd services run by one `ServiceGroup`.
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
    /// The running services; nil until the start is done.
    private var group: ServiceGroup?
    /// The start's wait for Telegram, which a stop ends.
    private var connecting: Task<BotIdentity, any Error>?
    private var stopRequested = false
    /// The admin listener, once the bot runs with one.
    private var admin: AdminServer?

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
        sender = Sender(client: client, store: store, floodLimits: settings.floodLimits, logger: Logger(label: "pollbot.sender"),
                        metrics: app.metrics)
        notifier = SystemdNotifier()
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully; returns the process exit code.
    public static func main(settings: BotSettings, app: BotApp<Services>, logger: Logger) async -> Int32 {
        // Trapped from the first moment, not only while the service group runs: a signal while Telegram is still
        // unreachable at start ends the start at once (exit 0), and one in the group shuts it down gracefully.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        do {
            let bot = try Bot(settings: settings, app: app, logger: logger)
            let watch = Task {
                for await signal in signals {
                    logger.notice("\(signal) received, shutting down")
                    await bot.requestStop()
                    return
                }
            }
            defer { watch.cancel() }
            try await bot.run()
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

    /// Starts, runs the services until `requestStop`, then confirms the offset. The services stop in the reverse of
    /// their order here: systemd hears STOPPING=1, the long poll ends at once, running handlers drain (10 s at most),
    /// the outbox is flushed (10 s at most), housekeeping ends. Cancelling the calling task stops without draining.
    public func run() async throws {
        // Once run returns the bot writes nothing more, so the same process may start its successor (a restart test).
        defer { lock.release() }
        let services = try await app.makeServices(store, vault)
        let identity: BotIdentity
        do {
            identity = try await connectUnlessStopped()
        } catch is CancellationError where stopRequested {
            // Stopped before anything ran: there is nothing to drain, flush or confirm.
            logger.notice("pollbot stopped before it was connected")
            return
        }
        try await sender.resume()
        var bot = BotContext(identity: identity, store: store, logger: logger, help: app.registry.help,
                             chatAction: { [client] chatID, action in await client.sendChatAction(chatID, action) },
                             deleteNow: { [client] chatID, messageID in await client.deleteNow(chatID, messageID) })
        bot.phrases = app.registry.phrases
        bot.sendEarly = { [store, sender, logger] messages in
            do {
                await sender.enqueue(try await store.queueNow(messages))
            } catch {
                logger.warning("an early message could not be queued", metadata: ["error": "\(error)"])
            }
        }
        let secrets = SecretGuard(policy: app.secrets, deleteNow: bot.deleteNow)
        let limiter = UserRateLimiter(perMinute: settings.userPerMinute, burst: settings.userBurst,
                                      globalPerSecond: settings.globalPerSecond, perHour: settings.userPerHour)
        let router = UpdateRouter(
            registry: app.registry, bot: bot, services: services, secrets: secrets, limiter: limiter,
            middleware: MiddlewareChain.standard(secrets: secrets, staleAfter: TimeInterval(settings.staleAfter),
                                                   timeZone: settings.timeZone,
                                                   access: AccessPolicy(allowedUsers: settings.allowedUsers, admins: settings.admins,
                                                                        isDisabled: store.disabledLookup),
                                                   limiter: limiter, privateData: app.privateData,
                                                   // `last_poll_at` may be a long poll and a stamp interval old at a crash.
                                                   pressSlack: TimeInterval(settings.pollTimeout + 30),
                                                   metrics: app.metrics))
        let dispatcher = Dispatcher(handler: { await router.handle($0) }, store: store, sender: sender,
                                    handlerTimeout: .seconds(settings.handlerTimeout),
                                    secretRemoval: { [registry = app.registry, username = identity.username] update in
                                        guard let message = update.message else { return nil }
                                        let parsed = CommandParser.parse(message, botUsername: username)
                                        let command = parsed.flatMap { registry.command(named: $0.name)?.traits }
                                        return secrets.mustRemove(message, command: command) ? secrets.queuedRemoval(of: message) : nil
                                    },
                                    logger: Logger(label: "pollbot.dispatch"), metrics: app.metrics)
        await dispatcher.submit(try await store.pendingInbox(logger: logger), waitForRoom: false)
        let poller = Poller(client: client, store: store, dispatcher: dispatcher, sender: sender, pollTimeout: settings.pollTimeout,
                            metrics: app.metrics)
        let scheduler = JobScheduler(store: store, registry: app.jobs, services: services, windows: app.jobWindows(services),
                                     settings: app.jobSettings, logger: logger, now: { [clock = app.clock] in clock.now() },
                                     deliver: { [sender] in await sender.enqueue($0) }, metrics: app.metrics)
        let readiness = Readiness(Readiness.engine(store: store, lastGetUpdates: { await poller.lastSuccess },
                                                   pollTimeout: settings.pollTimeout, outboxStuckAfter: settings.outboxStuckAfter)
                                  + app.readinessChecks(services))
        let startedAt = Date()
        app.metrics.declareEngineSeries(version: app.version, startedAt: startedAt, jobKinds: app.jobs.names.sorted())
        app.metrics.refreshEngineGauges(store: store, lastGetUpdates: { await poller.lastSuccess })
        let status = StatusPage(store: store, version: app.version, startedAt: startedAt, readiness: readiness,
                                knownCommands: Set(app.registry.commands.map { "/" + $0.name }), sections: app.statusSections(services))
        let admin = try settings.admin.map { try AdminServer(settings: $0, metrics: app.metrics, readiness: readiness, status: status) }
        self.admin = admin
        let group = serviceGroup(dispatcher: dispatcher, poller: poller, scheduler: scheduler, jobs: app.backgroundJobs(services),
                                 readiness: readiness, admin: admin)
        self.group = group
        // A stop that came while starting: the group starts its services and shuts them down gracefully at once.
        if stopRequested { await group.triggerGracefulShutdown() }
        logger.notice("pollbot is running", metadata: ["bot": "@\(identity.username)", "token": "\(settings.redactedToken)"])
        try await group.run()
        await confirmOffset()
        logger.notice("pollbot stopped")
    }

    /// The memory release, when the process's `main` asked for it (`CleanPages.enableForThisProcess`).
    private func memoryRelease(poller: Poller) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard CleanPages.isEnabledForThisProcess else { return [] }
        return [.init(service: MemoryReleaseService(startedUp: { await poller.hasCaughtUp },
                                                    activity: { await poller.updatesReceived }, interval: .seconds(3600),
                                                    quiet: .seconds(60), settle: .seconds(2), logger: logger),
                      serviceName: "memory-release")]
    }

    /// The services in start order; a graceful shutdown stops them one by one in the reverse order.
    private func serviceGroup(dispatcher: Dispatcher, poller: Poller, scheduler: JobScheduler<Services>,
                              jobs: [any Service], readiness: Readiness, admin: AdminServer?) -> ServiceGroup {
        // The admin listener stops last: /healthz and /metrics answer while handlers drain and the outbox flushes.
        let listener: [ServiceGroupConfiguration.ServiceConfiguration] =
            admin.map { [.init(service: AdminService(server: $0, listening: { [self] port in announce(port: port) }), serviceName: "admin")] } ?? []
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = listener + [
            .init(service: HousekeepingService(store: store, keyFile: settings.keyFile, logDays: settings.logDays,
                                               interval: .seconds(6 * 3600), logger: logger),
                  serviceName: "housekeeping"),
        ] + memoryRelease(poller: poller) + [
            .init(service: SenderService(sender: sender, flushTimeout: Self.shutdownStepLimit, logger: logger),
                  serviceName: "sender"),
            .init(service: DispatcherService(dispatcher: dispatcher, drainTimeout: Self.shutdownStepLimit, logger: logger),
                  serviceName: "dispatcher"),
            // Its notices go through the outbox, so it stops before the sender flushes.
            .init(service: ConversationSweeperService(
                      sweeper: ConversationSweeper(store: store, registry: app.registry, deliver: { [sender] in await sender.enqueue($0) }),
                      interval: .seconds(30), logger: logger),
                  serviceName: "conversations"),
            // Its runs commit messages to the outbox, so it stops (running jobs drained or cancelled) before the sender flushes.
            .init(service: JobSchedulerService(scheduler: scheduler), serviceName: "jobs"),
        ] + jobs.map { .init(service: $0) } + [
            .init(service: PollerService(poller: poller), serviceName: "poller"),
            // Stopped first, so STOPPING=1 goes out as the shutdown begins; it pings only while the bot is ready.
            .init(service: SystemdService(notifier: notifier, readiness: readiness), serviceName: "systemd"),
        ]
        return ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
    }

    /// The admin listener's port once it listens (the kernel's pick for `:0`); nil when there is none.
    public func adminPort() async throws -> UInt16? {
        try await admin?.port()
    }

    /// Logs where the admin listener is, and that a listener other machines can reach asks for the token.
    private nonisolated func announce(port: UInt16) {
        guard let address = settings.admin?.address else { return }
        let shown = AdminAddress(host: address.host, port: port)
        if address.isLoopback {
            logger.notice("admin listener on http://\(shown) (/metrics, /healthz, /readyz)")
        } else {
            logger.notice("admin listener on http://\(shown), reachable from other machines: every request needs the bearer token")
        }
    }

    /// How long the shutdown waits for running handlers, and then for the outbox.
    static var shutdownStepLimit: Duration { .seconds(10) }

    /// True once update `updateID` is handled and every reply has been accepted (the demo waits for this).
    public func isSettled(through updateID: Int64) async -> Bool {
        guard let handled = try? await store.isHandled(updateID: updateID), handled else { return false }
        return (try? await store.outboxCount()) == 0
    }

    /// Stops gracefully: a start still waiting for Telegram ends at once; once running, the service group shuts down.
    public func requestStop() async {
        stopRequested = true
        connecting?.cancel()
        await group?.triggerGracefulShutdown()
    }

    /// `connect`, ended by `requestStop` (or by cancelling the caller) while it waits for Telegram.
    private func connectUnlessStopped() async throws -> BotIdentity {
        let attempt = Task { try await connect() }
        connecting = attempt
        defer { connecting = nil }
        if stopRequested { attempt.cancel() }
        return try await withTaskCancellationHandler { try await attempt.value } onCancel: { attempt.cancel() }
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

    /// Tells Telegram the last batch is recorded, so it does not resend it at the next start.
    private func confirmOffset() async {
        do {
            let offset = try await store.pollOffset()
            _ = try await client.getUpdates(offset: offset, limit: 1, timeout: 0, allowedUpdates: Poller.allowedUpdates)
            // The downtime after a graceful stop is measured from now, not from the last 30-second stamp.
            try await store.noteTelegramAnswer()
        } catch {
            logger.notice("offset not confirmed at shutdown; Telegram resends, the inbox ignores repeats", metadata: ["error": "\(error)"])
        }
    }
}
