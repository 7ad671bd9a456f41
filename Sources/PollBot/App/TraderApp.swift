import BotKit
import Foundation
import Logging

/// pollbot wired onto the BotKit engine: which commands and buttons, which tables, what counts as a secret,
/// which settings, and the services every handler gets. The one place where the app is assembled.
public enum TraderApp {
    /// Every command pollbot ships with, in the order /help lists them; and its buttons.
    public static let registry = CommandRegistry<TraderServices>([
        StartCommand.self,
        HelpCommand<TraderServices>.self,
        LinkCommand.self,
        AccountsCommand.self,
        UseCommand.self,
        UnlinkCommand.self,
        StatusCommand.self,
        MenuCommand.self,
        FundsCommand.self,
        PnLCommand.self,
        PortfolioOverviewCommand.self,
        PositionsCommand.self,
        HoldingsCommand.self,
        OrderBookCommand.self,
        TradeBookCommand.self,
        QuoteCommand.self,
        ChartCommand.self,
        AlertCommand.self,
        AlertsCommand.self,
        DeleteAlertCommand.self,
        SettingsCommand.self,
        NotifyCommand.self,
        PerformanceCommand.self,
        AnalyzeCommand.self,
        BuyCommand.self,
        SellCommand.self,
        CancelOrderCommand.self,
        ModifyCommand.self,
        CancelAllCommand.self,
        CloseAllCommand.self,
        ModeCommand.self,
        CancelCommand<TraderServices>.self,
        WhoAmICommand.self,
        BroadcastCommand.self,
        AdminCommand.self,
    ], buttons: [MenuButtons.self, OrderButtons.self, OrderBookCancelButton.self, AlertButtons.self, SettingsButtons.self,
                BroadcastButtons.self, AdminButtons.self],
       conversations: [StockAnalysisFlow.self], plainText: { text, _ in PlainLanguage.read(text) }, phrases: PlainLanguage.examples)

    /// The app's tables, and its rows sealed with the master key: the bot and every CLI command open the store with both.
    public static let schemas: [Schema] = [.pollBot, .paper, .alerts, .notifications, .summary, .broadcast]
    public static let sealedRows: [any SealedRows] = [AccountRows()]

    /// An OpenAlgo API key (64 hex characters) in any message is a secret, whatever command it came with.
    public static let secrets = SecretPolicy(
        looksSecret: APIKeyShape.appears(in:),
        warning: "Your message looked like an OpenAlgo API key (64 hex characters), so I did not act on it. "
            + "To link an account, send <code>/link API_KEY</code> in a private chat with me.",
        revokeWhat: "the key in OpenAlgo")

    /// The app for a bot.toml; `registry` adds commands for tests; `clock` is the time its jobs, paper market and
    /// market-hours window share (the demo's moves).
    public static func app(config: BotConfig, registry: CommandRegistry<TraderServices> = registry,
                           orderTiming: OrderTiming = .live, clock: BotClock = BotClock()) -> BotApp<TraderServices> {
        let registry = registry.timingOut(after: TimeInterval(config.conversations.timeout))
        let metrics = BotMetrics()
        var app = BotApp(registry: registry, schemas: schemas, sealedRows: sealedRows, secrets: secrets) { store, vault in
            // Before any key is used: rows sealed before hosts were bound into their seals are re-sealed once.
            try await store.bindHostsIntoAccountSeals(vault: vault)
            let trading = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault,
                                     breaker: CircuitBreaker(metrics: metrics), cache: ResponseCache(metrics: metrics),
                                     paper: config.broker.kind == .paper ? PaperExchange(store: store, now: { clock.now() }) : nil)
            let timing = orderTiming.fitting(handlerTimeout: .seconds(config.limits.handlerTimeout), brokerTimeout: .seconds(config.broker.timeout))
            let services = TraderServices(config: config, store: store, vault: vault, trading: trading, orderTiming: timing,
                                          clock: clock)
            // Before any update is handled: orders whose outcome a crash or timeout left open are settled, and their
            // users told through the outbox (the sender starts after this), each as soon as its verdict is recorded.
            _ = await services.orders.reconcileUnresolved(logger: Logger(label: "pollbot.orders")) { notice in
                _ = try? await store.enqueue([notice])
            }
            try await PriceAlertJob.ensureScheduled(in: store, settings: config.alerts, now: clock.now())
            try await OrderWatchJob.ensureScheduled(in: store, settings: config.alerts, now: clock.now())
            try await DailySummaryJob.ensureScheduled(in: store, config: config, now: clock.now())
            try await PnLThresholdJob.ensureScheduled(in: store, settings: config.alerts, now: clock.now())
            try await OperationalWarningJob.ensureScheduled(in: store, now: clock.now())
            try await DailyBackupJob.ensureScheduled(in: store, config: config, now: clock.now())
            TraderStatus.publish(to: metrics, store: store)
            if config.broker.kind == .openalgo { trading.breaker.declare(config.broker.hosts) }
            return services
        }
        app.privateData = "account data"
        app.jobs = JobRegistry([PriceAlertJob.self, OrderWatchJob.self, DailySummaryJob.self, PnLThresholdJob.self, BroadcastJob.self,
                                OperationalWarningJob.self, DailyBackupJob.self])
        app.jobWindows = { _ in [PriceAlertJob.window: { MarketCalendar.india.isOpen(at: $0) }] }
        app.metrics = metrics
        app.clock = clock
        app.readinessChecks = { _ in [ReadinessCheck("charts") { await ChartWorker.shared.problem() }] }
        (app.statusSections, app.version) = (TraderStatus.sections, TraderStatus.version)
        return app
    }

    /// The database with the engine's tables and the app's, as the CLI's commands open it beside (or instead of) the bot.
    /// With a vault, rows sealed before hosts were bound into their seals are re-sealed first (once per database).
    public static func openStore(path: String, vault: Vault? = nil) async throws -> BotStore {
        let store = try BotStore(path: path, vault: vault, schemas: schemas, sealedRows: sealedRows)
        if let vault { try await store.bindHostsIntoAccountSeals(vault: vault) }
        return store
    }

    /// The engine's settings from bot.toml.
    public static func settings(_ config: BotConfig) -> BotSettings {
        var settings = BotSettings(token: config.telegram.token, databasePath: config.storage.path, keyFile: config.security.keyFile)
        settings.apiURL = config.telegram.apiURL
        settings.pollTimeout = config.telegram.pollTimeout
        settings.staleAfter = config.telegram.staleAfter
        settings.floodLimits = config.telegram.floodLimits
        settings.logDays = config.storage.logDays
        settings.allowedUsers = config.security.allowedUsers
        settings.admins = config.security.admins
        settings.userPerMinute = config.limits.userPerMinute
        settings.userBurst = config.limits.userBurst
        settings.userPerHour = config.limits.userPerHour
        settings.globalPerSecond = config.limits.globalPerSecond
        settings.handlerTimeout = config.limits.handlerTimeout
        settings.timeZone = config.broker.timeZone
        settings.admin = config.admin.settings
        return settings
    }

    /// The bot for a bot.toml, ready to run; `telegram` replaces the network for the Bot API and `clock` the system
    /// time (both for the offline demo).
    public static func bot(config: BotConfig, registry: CommandRegistry<TraderServices> = registry, logger: Logger,
                           telegram: any HTTPTransport = CurlEngine.shared, clock: BotClock = BotClock()) throws -> Bot<TraderServices> {
        try Bot(settings: settings(config), app: app(config: config, registry: registry, clock: clock), logger: logger, telegram: telegram)
    }

    /// Runs the bot until SIGTERM or SIGINT; returns the process exit code.
    public static func main(config: BotConfig, logger: Logger, registry: CommandRegistry<TraderServices> = registry) async -> Int32 {
        await Bot.main(settings: settings(config), app: app(config: config, registry: registry), logger: logger)
    }
}
