import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport

/// A paper-broker bot's store, services and job scheduler on a clock the test moves, without Telegram: for jobs whose
/// work the paper market's price walk drives (alerts, order notifications).
struct PaperJobRig {
    let directory: TemporaryDirectory
    let config: BotConfig
    let store: BotStore
    let clock: ManualDate
    let paper: PaperExchange
    let scheduler: JobScheduler<TraderServices>

    /// Starts at Wednesday 09:20 in Mumbai, five minutes into the session.
    static func make(label: String) async throws -> PaperJobRig {
        let directory = try TemporaryDirectory()
        let config = try RigConfig.parse(in: directory, """
            [broker]
            kind = "paper"
            """)
        let vault = Vault(current: try MasterKey.load(from: config.security.keyFile))
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        let clock = ManualDate(Date(timeIntervalSince1970: 1_767_757_800))
        let paper = PaperExchange(store: store, now: { clock.now })
        let hub = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault, paper: paper, retryDelays: [])
        let services = TraderServices(config: config, store: store, vault: vault, trading: hub)
        let app = TraderApp.app(config: config)
        let scheduler = JobScheduler(store: store, registry: app.jobs, services: services, windows: app.jobWindows(services),
                                     logger: Logger(label: label), now: { clock.now })
        return PaperJobRig(directory: directory, config: config, store: store, clock: clock, paper: paper, scheduler: scheduler)
    }
}
