import BotKit
import Foundation
import Logging
@testable import PollBot
import TestSupport
import Testing

/// A kill between a press's committed outcome and its stored reply replays the update: the confirming press (the same
/// callback query id) is told the recorded verdict again, from the store alone; any other press only hears that it was
/// already confirmed, and nothing goes to the broker twice.
@Suite struct OrderReplayTests {
    @Test func aRefusedPlacementReplayedByItsPressIsToldNotPlacedAgainWithOneBrokerCall() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        await rig.fake.inject(.status(400, message: "margin <shortfall> & more"), for: "placeorder")
        let first = try await rig.press(id, as: "cq-1")
        #expect(first.sent && first.html?.contains("Not placed") == true)
        // Killed after the intent's outcome was committed, before the reply was: the update runs again after the restart.
        let requests = await rig.fake.requests.count
        let replay = try await rig.press(id, as: "cq-1")
        #expect(!replay.sent && replay.toast == "Confirmed")
        let html = try #require(replay.html)
        #expect(html.contains("Not placed: ") && html.contains("margin &lt;shortfall&gt; &amp; more"))
        #expect(!html.contains("<shortfall>"))
        #expect(html.hasPrefix("<code>BUY 10 RELIANCE NSE"))
        #expect(await rig.fake.calls("placeorder") == 1)
        #expect(await rig.fake.requests.count == requests, "the replay reached OpenAlgo")
        #expect(try await rig.store.orderAudit(since: .distantPast).last?.event == "replayed press")
        await rig.close()
    }

    @Test func anotherPressOnlyGetsTheToastWhileTheConfirmingPressStillGetsTheVerdict() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        await rig.fake.inject(.status(400, message: "margin shortfall"), for: "placeorder")
        _ = try await rig.press(id, as: "cq-1")
        // A double tap is another callback query: repeating the verdict to it would break the bound on repeated replies.
        let tap = try await rig.press(id, as: "cq-2")
        #expect(!tap.sent && tap.html == nil && tap.toast == "Already confirmed (rejected); no second order was sent.")
        let noIdentity = try await rig.confirm(id)
        #expect(noIdentity.html == nil && noIdentity.toast.hasPrefix("Already confirmed"))
        let replay = try await rig.press(id, as: "cq-1")
        #expect(replay.html?.contains("Not placed: ") == true)
        #expect(await rig.fake.calls("placeorder") == 1)
        await rig.close()
    }

    @Test func aQueuedOrderReplayedByItsPressIsToldItIsQueuedAndNothingIsSent() async throws {
        let rig = try await OrderDeskFixture.make()
        await rig.fake.setReply("placeorder", body: #"{"status": "success", "mode": "semi_auto", "message": "Order queued for approval"}"#)
        let id = try #require(try await rig.propose().id)
        #expect(try await rig.press(id, as: "cq-q").html?.contains("Queued for approval") == true)
        let requests = await rig.fake.requests.count
        let replay = try await rig.press(id, as: "cq-q")
        #expect(!replay.sent && replay.html?.contains("<b>Queued for approval</b>") == true, "\(replay)")
        #expect(replay.html?.contains("(Order queued for approval)") == true)
        #expect(await rig.fake.calls("placeorder") == 1)
        #expect(await rig.fake.requests.count == requests, "the replay reached OpenAlgo")
        await rig.close()
    }

    @Test func aPlacedOrderWhoseIdWentOutBeforeItsClaimIsNotToldTwiceByTheReplay() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        #expect(try await rig.press(id, as: "cq-p").sent)
        let orderID = try #require(try await rig.intents().first?.brokerOrderID)
        // The id went out durably before the claim was committed: a kill after the claim cannot swallow it.
        #expect(rig.progress.all.filter { $0.contains("<b>Placed</b>: order <code>\(orderID)</code>") }.count == 1)
        let requests = await rig.fake.requests.count
        let replay = try await rig.press(id, as: "cq-p")
        #expect(!replay.sent && replay.html == nil && replay.toast == "Already confirmed (placed); no second order was sent.")
        #expect(await rig.fake.calls("placeorder") == 1)
        #expect(await rig.fake.requests.count == requests, "the replay reached OpenAlgo")
        await rig.close()
    }

    @Test func anIntentTheStartupCheckSettledIsNotToldAgainByItsPress() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        // Committed with its press, then killed before the broker call: the startup check finds it never sent.
        _ = try await rig.store.confirmOrder(id: id, by: OrderDeskFixture.user, account: "main", host: rig.fake.host,
                                             receivedAt: rig.clock.now, clientID: "pb-settled", now: rig.clock.now, pressID: "cq-s")
        let notices = await rig.desk.reconcileUnresolved(logger: rig.logger)
        #expect(notices.count == 1)
        #expect(notices.map { String(decoding: $0.payload, as: UTF8.self) }.first?.contains("Nothing was placed") == true)
        #expect(try await rig.store.orderIntent("pb-settled")?.state == .failed)
        let replay = try await rig.press(id, as: "cq-s")
        #expect(replay.html == nil && replay.toast == "Already confirmed (failed); no second order was sent.")
        await rig.close()
    }

    @Test func anIntentStillOpenIsLeftToTheStartupCheckEvenForItsOwnPress() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        // Committed with its press, then killed before the broker call: the intent is `sending`.
        let committed = try await rig.store.confirmOrder(id: id, by: OrderDeskFixture.user, account: "main", host: rig.fake.host,
                                                         receivedAt: rig.clock.now, clientID: "pb-open", now: rig.clock.now, pressID: "cq-o")
        guard case .confirmed = committed else { Issue.record("not confirmed: \(committed)"); return }
        let replay = try await rig.press(id, as: "cq-o")
        #expect(replay.html == nil && replay.toast == "Already confirmed (sending); no second order was sent.")
        #expect(await rig.fake.calls("placeorder") == 0)
        await rig.close()
    }

    @Test func aRowConfirmedBeforePressesWereRecordedBehavesAsBeforeAfterTheUpgrade() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pollbot.sqlite3")
        // The database as the previous pollbot left it: the order tables at step 4, a refused order committed.
        let old = try BotStore(path: path, schemas: [Schema(module: Schema.pollBot.module, steps: Array(Schema.pollBot.steps.prefix(4)))])
        let now = Date()
        let draft = OrderDeskFixture.draft()
        try await old.savePendingOrder(PendingOrder(id: "c0ffee000001", userID: OrderDeskFixture.user, chatID: OrderDeskFixture.user,
                                                    account: "main", action: .place(draft), createdAt: now,
                                                    expiresAt: now.addingTimeInterval(60), state: .confirmed),
                                       audit: OrderAuditEntry(at: now, userID: OrderDeskFixture.user, account: "main", event: "preview",
                                                              fields: ""))
        _ = try SQLiteDatabase(path: path).run("""
            INSERT INTO order_intents(client_id, confirmation_id, user_id, chat_id, account, draft, created_at, state, message, updated_at)
            VALUES('pb-old', 'c0ffee000001', ?, ?, 'main', ?, ?, 'rejected', 'margin shortfall', ?)
            """, .integer(OrderDeskFixture.user), .integer(OrderDeskFixture.user), .text(OrderDraftText.encoded(draft) ?? ""),
            .real(now.timeIntervalSince1970), .real(now.timeIntervalSince1970))
        let rig = try await OrderDeskFixture.make(directory: directory)
        #expect(try SQLiteDatabase(path: path).query("SELECT press_id IS NULL FROM order_confirmations") { $0.int(0) } == [1])
        // No press is known to have confirmed it, so none is told the verdict again.
        let replay = try await rig.press("c0ffee000001", as: "cq-old")
        #expect(replay.html == nil && replay.toast == "Already confirmed (rejected); no second order was sent.")
        // A confirmation made after the upgrade records its press.
        let id = try #require(try await rig.propose().id)
        await rig.fake.inject(.status(400, message: "margin shortfall"), for: "placeorder")
        _ = try await rig.press(id, as: "cq-new")
        #expect(try await rig.press(id, as: "cq-new").html?.contains("Not placed: ") == true)
        #expect(await rig.fake.calls("placeorder") == 1)
        await rig.close()
    }
}

/// The same for a confirmed action other than a placement (here a cancel), whose verdict the confirmation keeps.
@Suite struct OrderActionReplayTests {
    func cancelConfirmation(_ rig: OrderDeskFixture) async throws -> (order: String, confirmation: String) {
        let placed = try await rig.client.placeOrder(OrderRequest(symbol: "RELIANCE", exchange: "NSE", action: .buy, quantity: 10,
                                                                  priceType: .limit, price: 1400, product: .cnc))
        let order = try #require(placed.orderID)
        let confirmation = try #require(try await rig.desk.proposeCancel(orderID: order, userID: OrderDeskFixture.user,
                                                                         chatID: OrderDeskFixture.user).confirmationID)
        return (order, confirmation)
    }

    @Test func aDoneCancelReplayedByItsPressRepeatsItsVerdictAndAnotherPressGetsTheToast() async throws {
        let rig = try await OrderDeskFixture.make()
        let (order, confirmation) = try await cancelConfirmation(rig)
        let first = try await rig.press(confirmation, as: "cq-c")
        let told = try #require(first.html)
        #expect(first.sent && told.contains("<b>Cancelled</b> order <code>\(order)</code>"))
        let tap = try await rig.press(confirmation, as: "cq-other")
        #expect(!tap.sent && tap.html == nil && tap.toast == "Already confirmed; nothing was sent again.")
        let replay = try await rig.press(confirmation, as: "cq-c")
        #expect(!replay.sent && replay.html == told)
        #expect(await rig.fake.calls("cancelorder") == 1)
        await rig.close()
    }

    @Test func aCancelCutShortByAKillTellsItsPressItMayHaveBeenDoneAndSendsNothing() async throws {
        let rig = try await OrderDeskFixture.make()
        let (order, confirmation) = try await cancelConfirmation(rig)
        _ = try await rig.store.confirmOrder(id: confirmation, by: OrderDeskFixture.user, account: "main", host: rig.fake.host,
                                             receivedAt: rig.clock.now, clientID: "", now: rig.clock.now, pressID: "cq-c")
        // Claimed by its press and sent; the process died before the answer was recorded.
        #expect(try await rig.store.startAction(id: confirmation, pressID: "cq-c"))
        _ = try await rig.client.cancelOrder(id: order)
        let replay = try await rig.press(confirmation, as: "cq-c")
        #expect(!replay.sent && replay.html == OrderDesk.cutShortByRestart(.cancel(orderID: order, line: "")))
        #expect(replay.html?.contains("send /cancelorder again if it is still needed") == true)
        let tap = try await rig.press(confirmation, as: "cq-other")
        #expect(tap.html == nil && tap.toast == "Already confirmed; nothing was sent again.")
        #expect(await rig.fake.calls("cancelorder") == 1)
        await rig.close()
    }
}

/// Through the whole bot: the Confirm button hands the press's callback query id to the desk.
@Suite struct OrderReplayBotTests {
    let alice = FakeUser(id: 6201, firstName: "Alice")

    /// A press of `data` on message `messageID` as callback query `queryID` (a replayed update carries the same one).
    func press(_ rig: BrokerRig, _ data: String, queryID: String, messageID: Int64) async throws {
        let data = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        await rig.fake.pushRaw("""
            {"update_id": $ID, "callback_query": {"id": "\(queryID)", "from": {"id": \(alice.id), "is_bot": false, "first_name": "Alice"},
             "data": \(data), "chat_instance": "1", "message": {"message_id": \(messageID), "date": \(Int(Date().timeIntervalSince1970)),
             "chat": {"id": \(alice.id), "type": "private"}}}}
            """)
    }

    @Test func theConfirmButtonsReplayIsToldTheVerdictAgainAndAnotherPressOnlyTheToast() async throws {
        let rig = try await BrokerRig.make(security: "allowed_users = [\(alice.id)]",
                                           sections: "[trading]\nenabled = true\nusers = [\(alice.id)]\nmarket_hours_only = false")
        await rig.link(alice)
        let preview = try #require(await rig.ask("/buy 10 RELIANCE", from: alice).last)
        let confirm = try #require(preview.button("\u{2705} Confirm"))
        let previewID = await rig.fake.lastMessageID
        await rig.broker.inject(.status(400, message: "margin shortfall"), for: "placeorder")
        func notPlaced(_ count: Int) async -> Int {
            let calls = await rig.fake.waitUntil(timeout: .seconds(15)) { calls in
                calls.filter { $0.method == "sendMessage" && $0.visibleText?.contains("Not placed") == true }.count >= count
            }
            return calls.filter { $0.method == "sendMessage" && $0.visibleText?.contains("Not placed") == true }.count
        }
        try await press(rig, confirm, queryID: "cq-bot-1", messageID: previewID)
        #expect(await notPlaced(1) == 1)
        try await press(rig, confirm, queryID: "cq-bot-1", messageID: previewID)
        #expect(await notPlaced(2) == 2)
        await rig.fake.pressButton(confirm, by: alice, messageID: previewID)
        let answers = await rig.fake.waitForCalls("answerCallbackQuery", count: 3)
        #expect(answers.last?.parameters["text"] as? String == "Already confirmed (rejected); no second order was sent.")
        #expect(await notPlaced(2) == 2)
        #expect(await rig.broker.calls("placeorder") == 1)
        await rig.close()
    }
}

extension OrderDeskFixture {
    /// A Confirm press whose callback query id is `pressID`, received a second after the clock's now (a replay keeps it).
    func press(_ id: String, as pressID: String) async throws -> OrderDesk.PressResult {
        try await desk.confirm(id, userID: Self.user, receivedAt: clock.now.addingTimeInterval(1), logger: logger, pressID: pressID) { [progress] in
            progress.add($0)
        }
    }
}
