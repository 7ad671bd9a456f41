import BotKit
import Foundation
@testable import PollBot
import Synchronization
import TestSupport
import Testing

/// The startup check of open intents, as the full chaos soak needed it: a kill in the middle of a burst of confirmations
/// left 45 intents open, checked one by one (about a second each) before the restarted bot handled anything; and a found
/// order's news, told only after its status polls, was lost to a kill during them while its intent was already settled.
@Suite struct OrderStartupCheckTests {
    /// Intents of `orders` (user, quantity) committed on each user's account "main" (linked to the fake's key), their
    /// baselines taken and their orders placed at the fake, their outcomes never recorded: what a kill during the broker
    /// calls leaves.
    static func leaveOpenOrders(_ rig: OrderDeskFixture, _ orders: [(user: Int64, quantity: Int)]) async throws {
        for (index, order) in orders.enumerated() {
            if try await rig.store.activeAccount(of: order.user) == nil {
                try await rig.store.saveAccount(LinkedAccount(userID: order.user, name: "main", host: rig.fake.host,
                                                              sealed: rig.vault.seal(BrokerRig.apiKey, userID: order.user, account: "main",
                                                                                     host: rig.fake.host),
                                                              keyHint: "4e5f", linkedAt: Date()))
            }
            let at = rig.clock.now.addingTimeInterval(Double(index))
            let pending = PendingOrder(id: "c-open-\(index)", userID: order.user, chatID: order.user, account: "main",
                                       action: .place(OrderDeskFixture.draft(order.quantity)), createdAt: at,
                                       expiresAt: at.addingTimeInterval(600), state: .pending, host: rig.fake.host)
            try await rig.store.savePendingOrder(pending, audit: OrderAuditEntry(at: at, userID: order.user, account: "main",
                                                                                 event: "preview", fields: ""))
            let confirmed = try await rig.store.confirmOrder(id: pending.id, by: order.user, account: "main", receivedAt: at,
                                                             clientID: "pb-open-\(index)", now: at)
            guard case .confirmed(let intent) = confirmed else { throw CancellationError() }
            try await rig.store.setBaseline([], of: intent.clientID, now: at)
            _ = try await rig.client.placeOrder(intent.request)
        }
    }

    @Test func differentAccountsAreCheckedSideBySideAndTheVerdictsKeepTheirOrder() async throws {
        let overlap = Overlap()
        let first = try await OrderDeskFixture.make()
        try await Self.leaveOpenOrders(first, [(OrderDeskFixture.user, 11), (5102, 12), (5103, 13)])
        let restarted = try await OrderDeskFixture.make(fake: first.fake, directory: first.directory) { _ in await overlap.pause() }
        let notices = await restarted.desk.reconcileUnresolved(logger: restarted.logger)

        // Checked one by one, no two checks ever wait at the same time (the first pause gives up waiting for company after 5 s).
        #expect(await overlap.most >= 2, "the checks of different accounts overlap")
        let texts = notices.map { String(decoding: $0.payload, as: UTF8.self) }
        #expect(texts.count == 3 && zip(texts, [11, 12, 13]).allSatisfy { $0.contains("BUY \($1) ") && $0.contains("Placed") }, "\(texts)")
        #expect(try await restarted.intents().allSatisfy { $0.state == .placed && $0.brokerOrderID != nil })
        #expect(Set(try await restarted.intents().compactMap(\.brokerOrderID)).count == 3, "one order each")
        await restarted.close()
    }

    @Test func aFoundOrderIsToldBeforeItsStatusPolls() async throws {
        let events = Mutex<[String]>([])
        let first = try await OrderDeskFixture.make()
        try await Self.leaveOpenOrders(first, [(OrderDeskFixture.user, 21)])
        let restarted = try await OrderDeskFixture.make(fake: first.fake, directory: first.directory) { wait in
            events.withLock { $0.append("pause") }
        }
        _ = await restarted.desk.reconcileUnresolved(logger: restarted.logger) { message in
            let text = String(decoding: message.payload, as: UTF8.self)
            events.withLock { $0.append(text.contains("<b>Placed</b>") ? "placed" : "status") }
        }
        let log = events.withLock { $0 }
        // A read, then the claim's news, then the status polls (one: the fake fills the order at once), then the status.
        let placed = try #require(log.firstIndex(of: "placed"))
        #expect(log.suffix(from: placed).filter { $0 == "pause" }.count >= 1 && log.last == "status", "\(log)")
        #expect(log.filter { $0 != "pause" } == ["placed", "status"], "\(log)")
        await restarted.close()
    }
}

/// Counts the pauses in progress at once; the first pause waits (up to 5 s) for another to join it.
private actor Overlap {
    private var inFlight = 0
    private(set) var most = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Once a pause waited alone for 5 s the checks are taken to run one by one: no later pause waits.
    private var alone = false

    func pause() async {
        inFlight += 1
        most = max(most, inFlight)
        if inFlight >= 2 || most >= 2 || alone {
            for waiter in waiters { waiter.resume() }
            waiters.removeAll()
        } else {
            let timeout = Task { try? await Task.sleep(for: .seconds(5)); self.release() }
            await withCheckedContinuation { waiters.append($0) }
            timeout.cancel()
        }
        inFlight -= 1
    }

    private func release() {
        alone = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}
