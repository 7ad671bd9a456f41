@testable import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport

/// The admin jobs on a real SQLite file, delivered by the real sender to the fake Telegram over libcurl, run by the
/// engine's scheduler on a manual clock (`runDue`); the breaker reads the same clock.
struct AdminJobRig {
    let telegram: FakeTelegram
    let directory: TemporaryDirectory
    let services: TraderServices
    let scheduler: JobScheduler<TraderServices>
    let sender: Sender
    let clock: ManualDate

    var store: BotStore { services.store }
    var breaker: CircuitBreaker { services.trading.breaker }

    /// `admins` go to [security]; `telegram` and `directory` carry a fake and a database over to a "restart"; with
    /// `deliver` off, what jobs queue stays in the outbox until the test hands it to the sender.
    static func make(admins: [Int64], telegram given: FakeTelegram? = nil, directory existing: TemporaryDirectory? = nil,
                     clock existingClock: ManualDate? = nil, deliver: Bool = true) async throws -> AdminJobRig {
        let telegram = if let given { given } else { try await FakeTelegram.start() }
        let directory = try existing ?? TemporaryDirectory()
        let adminLine = "admins = [\(admins.map(String.init).joined(separator: ", "))]"
        let config = try RigConfig.parse(in: directory, security: adminLine, """
            [broker]
            host = "http://127.0.0.1:9"
            """)
        let vault = Vault(current: try MasterKey.load(from: config.security.keyFile))
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        let clock = existingClock ?? ManualDate(Date(timeIntervalSince1970: 1_767_763_800))
        let hub = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault,
                             breaker: CircuitBreaker(threshold: 1, coolDown: 30, now: { clock.now }), retryDelays: [])
        let services = TraderServices(config: config, store: store, vault: vault, trading: hub)
        let client = TelegramClient(apiURL: telegram.apiURL, token: telegram.token, requestTimeout: .seconds(2))
        let sender = Sender(client: client, store: store, floodLimits: true)
        let scheduler = JobScheduler(store: store, registry: TraderApp.app(config: config).jobs, services: services,
                                     logger: Logger(label: "test.admin-jobs"), now: { clock.now },
                                     deliver: { if deliver { await sender.enqueue($0) } })
        return AdminJobRig(telegram: telegram, directory: directory, services: services, scheduler: scheduler,
                           sender: sender, clock: clock)
    }

    /// The same database, fake and clock after a restart: a new store, scheduler and sender (which resumes the outbox).
    func restarted(admins: [Int64]) async throws -> AdminJobRig {
        let rig = try await Self.make(admins: admins, telegram: telegram, directory: directory, clock: clock)
        try await rig.sender.resume()
        return rig
    }

    /// One scheduler pass `seconds` after the last.
    @discardableResult
    func pass(after seconds: TimeInterval) async -> Int {
        clock.advance(by: seconds)
        return await scheduler.runDue()
    }

    /// Waits until the sender has delivered everything it was given.
    func flush() async -> Bool {
        await sender.flush(timeout: .seconds(20))
    }

    /// The texts of the messages queued for `chat`, oldest first.
    func queuedTexts(for chat: Int64) async throws -> [String] {
        try await store.pendingOutbox().filter { $0.message.chatID == chat }.compactMap {
            (try? JSONSerialization.jsonObject(with: $0.message.payload) as? [String: Any])?["text"] as? String
        }
    }

    func close() async {
        await telegram.stop()
        directory.remove()
    }
}
