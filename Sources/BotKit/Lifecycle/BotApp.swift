import Foundation
import ServiceLifecycle

/// What an app plugs into the engine: its commands and buttons, its tables, its secrets, and its services.
public struct BotApp<Services: Sendable>: Sendable {
    public var registry: CommandRegistry<Services>
    /// The app's tables, applied after the engine's.
    public var schemas: [Schema]
    /// The app's rows sealed with the master key.
    public var sealedRows: [any SealedRows]
    /// What counts as a secret in users' messages.
    public var secrets: SecretPolicy
    /// What private-only commands show, in the app's words, for the refusal in groups.
    public var privateData = "private data"
    /// Builds the handlers' services once the store is open and the keys are loaded (it may migrate its own data).
    public var makeServices: @Sendable (BotStore, Vault) async throws -> Services
    /// The app's background jobs: run in the bot's service group, stopped after the poller and before handlers drain.
    public var backgroundJobs: @Sendable (Services) -> [any Service] = { _ in [] }
    /// The app's durable job kinds, run by the engine's job scheduler (`BotKit/Jobs/`).
    public var jobs = JobRegistry<Services>([])
    /// The app's named windows for `JobSchedule.within` (e.g. "market_hours"), given its services.
    public var jobWindows: @Sendable (Services) -> [String: @Sendable (Date) -> Bool] = { _ in [:] }
    /// How the job scheduler runs (concurrency, time limit, backoff).
    public var jobSettings = JobSettings()
    /// The clock jobs are due by: the system time, unless the app moves it (the offline demo).
    public var clock = BotClock()
    /// Where the engine and the app record their metrics; the app hands the same instance to what it instruments.
    public var metrics = BotMetrics()
    /// The app's own readiness conditions (a wedged worker), checked with the engine's by `/readyz` and the watchdog.
    public var readinessChecks: @Sendable (Services) -> [ReadinessCheck] = { _ in [] }
    /// The app's sections of the admin listener's status page (`/`), after the engine's.
    public var statusSections: @Sendable (Services) -> [StatusSection] = { _ in [] }
    /// The version the status page shows.
    public var version = "unknown"

    public init(registry: CommandRegistry<Services>, schemas: [Schema] = [], sealedRows: [any SealedRows] = [],
                secrets: SecretPolicy = .none, makeServices: @escaping @Sendable (BotStore, Vault) async throws -> Services) {
        self.registry = registry
        self.schemas = schemas
        self.sealedRows = sealedRows
        self.secrets = secrets
        self.makeServices = makeServices
    }
}
