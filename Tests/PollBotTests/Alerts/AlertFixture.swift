import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport

/// Price alerts on a real SQLite file and the fake OpenAlgo over libcurl, checked by the engine's job scheduler on a
/// manual clock: what the alert tests drive with `check()` (one `runDue`).
struct AlertFixture {
    static let user: Int64 = 7101
    let fake: FakeOpenAlgo
    let directory: TemporaryDirectory
    let services: TraderServices
    let scheduler: JobScheduler<TraderServices>
    let clock: ManualDate

    var store: BotStore { services.store }

    /// A Wednesday, 11:00 in Mumbai: the market is open.
    static let marketOpen = Date(timeIntervalSince1970: 1_767_763_800)
    /// A Sunday, 11:00 in Mumbai.
    static let sunday = Date(timeIntervalSince1970: 1_767_504_600)

    /// `alerts` lines land in [alerts] (market hours off unless they say otherwise); the job is scheduled as the bot does.
    static func make(alerts: String = "", users: [Int64] = [user], fake given: FakeOpenAlgo? = nil,
                     directory existing: TemporaryDirectory? = nil, start: Date = marketOpen) async throws -> AlertFixture {
        let fake = if let given { given } else { try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey]) }
        let directory = try existing ?? TemporaryDirectory()
        let config = try RigConfig.parse(in: directory, """
            [broker]
            host = "\(fake.host)"
            timeout = 2
            [alerts]
            \(alerts.contains("market_hours_only") ? "" : "market_hours_only = false")
            \(alerts)
            """)
        let vault = Vault(current: try MasterKey.load(from: config.security.keyFile))
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        for user in users where try await store.activeAccount(of: user) == nil {
            try await store.saveAccount(LinkedAccount(userID: user, name: "main", host: fake.host,
                                                      sealed: vault.seal(BrokerRig.apiKey, userID: user, account: "main", host: fake.host),
                                                      keyHint: "4e5f", linkedAt: Date()))
        }
        let clock = ManualDate(start)
        let hub = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault, retryDelays: [])
        let services = TraderServices(config: config, store: store, vault: vault, trading: hub)
        let app = TraderApp.app(config: config)
        try await PriceAlertJob.ensureScheduled(in: store, settings: config.alerts, now: clock.now)
        let scheduler = JobScheduler(store: store, registry: app.jobs, services: services, windows: app.jobWindows(services),
                                     logger: Logger(label: "test.alerts"), now: { clock.now })
        return AlertFixture(fake: fake, directory: directory, services: services, scheduler: scheduler, clock: clock)
    }

    /// The same database and fake after a restart: a new store on the file, a new scheduler, the clock where it was.
    func restarted() async throws -> AlertFixture {
        try await Self.make(fake: fake, directory: directory, start: clock.now)
    }

    /// Arms an alert as /alert stores it, from `ltp` now.
    @discardableResult
    func arm(_ symbol: String, _ kind: PriceAlert.Kind, _ level: Double, ltp: Double, user: Int64 = user,
             limit: Int = 10_000) async throws -> Int64 {
        let terms = AlertTerms(kind: kind, level: level)
        let format = DisplayFormat(currency: "\u{20B9}", timeZone: ZoneRules.named("Asia/Kolkata")!)
        let direction = try terms.direction(from: ltp, instrument: Instrument(symbol, "NSE"), format: format).get()
        return try await store.armAlert(userID: user, chatID: user, account: "main", host: fake.host, instrument: Instrument(symbol, "NSE"),
                                        kind: kind, level: level, direction: direction, referencePrice: ltp, limit: limit, now: clock.now)
    }

    /// One scheduler pass `seconds` after the last: every due job runs once.
    @discardableResult
    func check(after seconds: TimeInterval = 10) async -> Int {
        clock.advance(by: seconds)
        return await scheduler.runDue()
    }

    /// The texts queued in the outbox as the user reads them (tags removed), oldest first.
    func queuedTexts() async throws -> [String] {
        try await queued().map { $0.text.replacing(/<[^>]+>/, with: "") }
    }

    /// The messages queued in the outbox: text and the callback data of their buttons, oldest first.
    func queued() async throws -> [(text: String, buttons: [String])] {
        try await store.pendingOutbox().compactMap { item in
            guard let object = try? JSONSerialization.jsonObject(with: item.message.payload) as? [String: Any],
                  let text = object["text"] as? String else { return nil }
            let rows = (object["reply_markup"] as? [String: Any])?["inline_keyboard"] as? [[[String: Any]]] ?? []
            return (text, rows.flatMap { $0.compactMap { $0["callback_data"] as? String } })
        }
    }

    /// Presses an alert button whose callback data is `data`, as `user` in their private chat (the router's owner check passed).
    func press(_ data: String, by user: Int64 = user) async throws -> ButtonReply {
        guard let decoded = CallbackData(data), decoded.action.hasPrefix(AlertButtons.prefix + ":") else {
            throw JobFailure("not an alert button: \(data)")
        }
        let who = User(id: user, firstName: "Alice")
        let message = Message(messageID: 1, from: nil, chat: Chat(id: user, type: "private"), date: 0, text: nil)
        let bot = BotContext(identity: BotIdentity(id: 1, username: "pollbot", firstName: "Poll"), store: store,
                             logger: Logger(label: "test.alerts"), help: [])
        return try await AlertButtons.press(ButtonPress(action: String(decoded.action.dropFirst(AlertButtons.prefix.count + 1)),
                                                        query: CallbackQuery(id: "q", from: who, message: message, data: data),
                                                        message: message, bot: bot, services: services))
    }

    func close() async {
        await fake.stop()
        directory.remove()
    }
}
