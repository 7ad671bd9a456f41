import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// A bot that crashed between sending an order and storing the reply settles it when it starts again, and tells the
/// user before it handles anything that arrived meanwhile.
@Suite struct OrderRestartBotTests {
    let alice = FakeUser(id: 6201, firstName: "Alice")

    @Test func anIntentLeftSendingIsReconciledBeforeTheFirstUpdate() async throws {
        let fake = try await FakeTelegram.start(floodLimits: false)
        let broker = try await FakeOpenAlgo.start(validKeys: [BrokerRig.apiKey])
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let config = try ConfigLoader.parse(BotHarness.configText(fake: fake, directory: directory, extra: """
            allowed_users = [\(alice.id)]
            [broker]
            host = "\(broker.host)"
            [trading]
            enabled = true
            users = [\(alice.id)]
            market_hours_only = false
            """))
        // The state a kill -9 leaves right after placeorder went out: the intent committed with its baseline, the order
        // recorded by OpenAlgo, no reply stored.
        let vault = try KeyRing.load(keyFile: config.security.keyFile)
        let placedID: String?
        do {
            let store = try await TraderApp.openStore(path: config.storage.path, vault: vault)
            try await store.saveAccount(LinkedAccount(userID: alice.id, name: "main", host: broker.host,
                                                      sealed: vault.seal(BrokerRig.apiKey, userID: alice.id, account: "main", host: broker.host),
                                                      keyHint: "4e5f", linkedAt: Date()))
            let draft = OrderDraft(symbol: "SBIN", exchange: "NSE", action: .buy, quantity: 4, priceType: .market, product: .cnc, origin: "command")
            let now = Date()
            try await store.savePendingOrder(PendingOrder(id: "c0ffee000001", userID: alice.id, chatID: alice.id, account: "main", action: .place(draft),
                                                          createdAt: now, expiresAt: now.addingTimeInterval(30), state: .pending),
                                             audit: OrderAuditEntry(at: now, userID: alice.id, account: "main", event: "preview", fields: ""))
            guard case .confirmed(let intent) = try await store.confirmOrder(id: "c0ffee000001", by: alice.id, account: "main",
                                                                             receivedAt: now, clientID: "pb-killed", now: now) else {
                Issue.record("not confirmed")
                return
            }
            try await store.setBaseline([], of: intent.clientID, now: now)
            placedID = try await OpenAlgoClient(host: broker.host, apiKey: BrokerRig.apiKey).placeOrder(intent.request).orderID
        }
        // Sent while the bot was down: handled only after the order is settled.
        await fake.sendText("/status", from: alice)
        let bot = try TraderApp.bot(config: config, logger: LogCapture().logger("pollbot"))
        let task = Task { try await bot.run() }
        let replies = await fake.waitForCalls("sendMessage", count: 2, timeout: .seconds(15)).compactMap(\.visibleText)
        await bot.requestStop()
        _ = try? await task.value
        #expect(replies.first?.hasPrefix("After a restart I checked an order that was not confirmed:") == true)
        #expect(replies.first?.contains("Placed: OpenAlgo has it as order \(placedID ?? "?")") == true)
        #expect(replies.count == 2 && replies.last?.hasPrefix("After a restart") == false)
        #expect(await broker.placedOrderCount == 1)
        #expect(await broker.calls("placeorder") == 1)
        let store = try await TraderApp.openStore(path: config.storage.path)
        #expect(try await store.orderIntent("pb-killed")?.state == .placed)
        #expect(try await store.orderIntent("pb-killed")?.brokerOrderID == placedID)
        await fake.stop()
        await broker.stop()
    }
}
