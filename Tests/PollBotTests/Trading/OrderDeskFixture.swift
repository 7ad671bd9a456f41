import BotKit
import Foundation
import Logging
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// The messages a confirmation showed before its outcome ("checking…").
final class ProgressLog: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// An order desk on a real SQLite file and the fake OpenAlgo over libcurl, with a manual clock and waits that return
/// at once: what the order flow tests drive directly.
struct OrderDeskFixture {
    static let user: Int64 = 5101
    let fake: FakeOpenAlgo
    let directory: TemporaryDirectory
    let store: BotStore
    let desk: OrderDesk
    let clock: ManualDate
    let vault: Vault
    let logger = Logger(label: "test.orders")
    let progress = ProgressLog()

    /// `trading` lines land in [trading] (enabled for `user`, market hours off, unless they say otherwise); `broker` lines in [broker].
    static func make(trading: String = "", broker: String = "", reads: Int = 3, fake given: FakeOpenAlgo? = nil,
                     directory existing: TemporaryDirectory? = nil, readWaits: [Duration]? = nil, unreadableRetries: [Duration] = [],
                     pause: @escaping @Sendable (Duration) async -> Void = { _ in }) async throws -> OrderDeskFixture {
        let fake = if let given { given } else { try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey]) }
        let directory = try existing ?? TemporaryDirectory()
        let config = try RigConfig.parse(in: directory, """
            [broker]
            host = "\(fake.host)"
            timeout = 3
            \(broker)
            [trading]
            \(trading.contains("enabled") ? "" : "enabled = true")
            \(trading.contains("users") ? "" : "users = [\(user)]")
            \(trading.contains("market_hours_only") ? "" : "market_hours_only = false")
            \(trading)
            """)
        let vault = Vault(current: try MasterKey.load(from: config.security.keyFile))
        let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
        if try await store.activeAccount(of: user) == nil {
            try await store.saveAccount(LinkedAccount(userID: user, name: "main", host: fake.host,
                                                      sealed: vault.seal(BrokerRig.apiKey, userID: user, account: "main", host: fake.host),
                                                      keyHint: "4e5f", linkedAt: Date()))
        }
        let clock = ManualDate(Date())
        let timing = OrderTiming(now: { clock.now }, pause: pause, reconcileReads: readWaits ?? Array(repeating: .zero, count: reads),
                                 statusPolls: [.zero, .zero], unreadableRetries: unreadableRetries)
        let hub = TradingHub(broker: config.broker, cacheTimes: config.cache, store: store, vault: vault, retryDelays: [])
        let desk = OrderDesk(settings: config.trading, admins: config.security.admins, store: store, hub: hub, timing: timing)
        return OrderDeskFixture(fake: fake, directory: directory, store: store, desk: desk, clock: clock, vault: vault)
    }

    static func draft(_ quantity: Int = 10, symbol: String = "RELIANCE", price: Double? = nil, product: OrderProduct = .cnc,
                      exchange: String = "NSE") -> OrderDraft {
        OrderDraft(symbol: symbol, exchange: exchange, action: .buy, quantity: quantity, priceType: price == nil ? .market : .limit,
                   price: price, product: product, origin: "command")
    }

    /// Proposes `draft` and returns the confirmation id (nil when blocked) with the preview.
    func propose(_ draft: OrderDraft = draft()) async throws -> (id: String?, html: String) {
        let proposal = try await desk.propose(draft, userID: Self.user, chatID: Self.user)
        return (proposal.confirmationID, proposal.html)
    }

    func confirm(_ id: String, by user: Int64 = user, after seconds: TimeInterval = 1) async throws -> OrderDesk.PressResult {
        try await desk.confirm(id, userID: user, receivedAt: clock.now.addingTimeInterval(seconds), logger: logger) { [progress] in
            progress.add($0)
        }
    }

    /// What two crashes leave: `sent` committed with its baseline and placed at the fake, its reply never stored;
    /// `unsent` committed and never sent (no baseline). Returns the placed order's id.
    func leaveOpenIntents(sent: String, unsent: String) async throws -> String? {
        let id = try #require(try await propose().id)
        let confirmed = try await store.confirmOrder(id: id, by: Self.user, account: "main", receivedAt: clock.now, clientID: sent, now: clock.now)
        guard case .confirmed(let intent) = confirmed else { throw CancellationError() }
        try await store.setBaseline([], of: intent.clientID, now: clock.now)
        let placed = try await client.placeOrder(intent.request)
        let other = try #require(try await propose().id)
        _ = try await store.confirmOrder(id: other, by: Self.user, account: "main", receivedAt: clock.now, clientID: unsent, now: clock.now)
        return placed.orderID
    }

    func intents() async throws -> [OrderIntent] {
        try await store.allIntents()
    }

    /// A client of the fake with the linked key, to act as OpenAlgo's own UI would.
    var client: OpenAlgoClient { OpenAlgoClient(host: fake.host, apiKey: BrokerRig.apiKey, timeout: .seconds(5)) }

    func close() async {
        await fake.stop()
        directory.remove()
    }
}

extension BotStore {
    /// Every intent, oldest first.
    func allIntents() throws -> [OrderIntent] {
        try db.query("SELECT client_id FROM order_intents ORDER BY created_at") { $0.text(0) }.compactMap { try orderIntent($0) }
    }

    /// How many confirmations are stored.
    func confirmationCount() throws -> Int { try db.query("SELECT COUNT(*) FROM order_confirmations") { $0.int(0) }.first ?? 0 }
}
