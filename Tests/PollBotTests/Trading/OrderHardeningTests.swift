import BotKit
import Foundation
@testable import PollBot
import TestSupport
import Testing

/// The fixes that go with the hostile review: checks that depend on time run again at the press, an open intent whose
/// account left is settled once, and texts from outside cannot disguise an order id or drive the operator's terminal.
@Suite struct OrderHardeningTests {
    @Test func theMarketClosingBetweenPreviewAndConfirmSendsNothing() async throws {
        let rig = try await OrderDeskFixture.make(trading: "market_hours_only = true\nconfirm_seconds = 600")
        let calendar = MarketCalendar.india
        var day = calendar.day(of: rig.clock.now) + 1
        while !calendar.isTradingDay(day) { day += 1 }
        // Five minutes before the close: the preview passes.
        rig.clock.advance(by: calendar.time(day: day, minute: calendar.sessionMinutes - 5).timeIntervalSince(rig.clock.now))
        let (id, html) = try await rig.propose()
        #expect(html.contains("\u{2713} market_hours_only"))
        // The press comes within confirm_seconds, but after the close.
        rig.clock.advance(by: 6 * 60)
        let late = try await rig.confirm(try #require(id), after: 0)
        #expect(!late.sent && late.html?.contains("market_hours_only: the market is closed now") == true)
        #expect(await rig.fake.calls("placeorder") == 0)
        #expect(try await rig.intents().isEmpty)
        #expect(try await rig.store.orderAudit(since: .distantPast).map(\.event) == ["preview", "blocked at confirm"])
        await rig.close()
    }

    @Test func theDailyLimitReplyNamesTheLimitAndAFailedOrderFreesItsPlace() async throws {
        let rig = try await OrderDeskFixture.make(trading: "max_orders_per_day = 1")
        let first = try #require(try await rig.propose().id)
        let second = try #require(try await rig.propose(OrderDeskFixture.draft(5)).id)
        let third = try #require(try await rig.propose(OrderDeskFixture.draft(3)).id)
        // The broker refuses the first: a rejected order does not count toward the limit.
        await rig.fake.inject(.status(400, message: "margin shortfall"), for: "placeorder")
        #expect(try await rig.confirm(first).html?.contains("Not placed") == true)
        #expect(try await rig.confirm(second).sent)
        let refused = try await rig.confirm(third)
        #expect(!refused.sent && refused.html?.contains("max_orders_per_day is 1") == true)
        #expect(await rig.fake.placedOrderCount == 1)
        await rig.close()
    }

    @Test func anOpenIntentOnAnUnlinkedAccountIsSettledUncheckedAndToldOnce() async throws {
        let rig = try await OrderDeskFixture.make()
        let user = OrderDeskFixture.user
        let id = try #require(try await rig.propose().id)
        let now = rig.clock.now
        guard case .confirmed = try await rig.store.confirmOrder(id: id, by: user, account: "main", receivedAt: now,
                                                                 clientID: "pb-unlinked", now: now) else {
            Issue.record("not confirmed")
            return
        }
        // The process died before the broker call; then the user unlinked the account.
        #expect(try await rig.store.deleteAccounts(["main"], of: user) == ["main"])
        let notices = await rig.desk.reconcileUnresolved(logger: rig.logger)
        #expect(notices.count == 1)
        #expect(try await rig.store.orderIntent("pb-unlinked")?.state == .unchecked)
        #expect(try await rig.store.orderAudit(since: .distantPast).last?.event == "unchecked")
        #expect(await rig.desk.reconcileUnresolved(logger: rig.logger).isEmpty)
        #expect(await rig.fake.calls("placeorder") == 0)
        await rig.close()
    }

    @Test(arguments: ["1\u{202E}2", "\u{2066}99\u{2069}", "12\u{200F}", "ab\u{200E}", "\u{1B}[2J"])
    func orderIDsWithBidiOrControlCharactersAreRefused(_ raw: String) {
        #expect(OrderID.sane(raw) == nil)
    }

    @Test func theAuditTableWritesControlCharactersVisibly() {
        let entry = OrderAuditEntry(at: Date(timeIntervalSince1970: 0), userID: 1, account: "main", event: "refused",
                                    fields: "BUY 1 X", reply: "bad\u{1B}[2J\u{202E}order\tend\nline")
        let row = OrderAuditReport.table([entry]).split(separator: "\n").last.map(String.init) ?? ""
        #expect(!row.contains("\u{1B}") && !row.contains("\u{202E}"))
        #expect(row.hasSuffix("bad\\u{1b}[2J\\u{202e}order end line\t-"))
    }

    @Test func keysAreMaskedWhateverTheirShape() {
        let hex = String(repeating: "ab12", count: 16)
        let redact = KeyRedaction(key: "oa_secret_key_1")
        #expect(redact("key oa_secret_key_1 and \(hex)!") == "key [api key] and [api key]!")
        let error = redact(BrokerError.invalidRequest("apikey=oa_secret_key_1"))
        #expect("\(error)" == "OpenAlgo refused the request: apikey=[api key]")
        #expect(KeyRedaction(key: nil)("no key here") == "no key here")
    }
}

/// A confirmation is bound to the OpenAlgo host its preview read.
@Suite struct OrderHostBindingTests {
    @Test func aPressAfterTheAccountWasRelinkedToAnotherHostSendsNothing() async throws {
        let rig = try await OrderDeskFixture.make()
        let id = try #require(try await rig.propose().id)
        let stored = try #require(try await rig.store.pendingOrder(id: id))
        #expect(stored.host == rig.fake.host)
        // The same account name, now pointing elsewhere: the store refuses the press and audits why.
        let outcome = try await rig.store.confirmOrder(id: id, by: OrderDeskFixture.user, account: "main", host: "http://10.9.9.9:5000",
                                                       receivedAt: rig.clock.now, clientID: "pb-test", now: rig.clock.now)
        guard case .accountChanged = outcome else { Issue.record("confirmed: \(outcome)"); return }
        #expect(try await rig.intents().isEmpty)
        #expect(try await rig.store.orderAudit(since: .distantPast).contains { $0.event == "refused press" && $0.reply.contains("10.9.9.9") })
        // The host it was previewed on still confirms it.
        let result = try await rig.confirm(id)
        #expect(result.sent)
        #expect(await rig.fake.placedOrderCount == 1)
        await rig.close()
    }
}
