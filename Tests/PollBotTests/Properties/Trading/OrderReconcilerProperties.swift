import BotKit
import Foundation
@testable import PollBot
import PropertyBased
import TestSupport
import Testing

/// Reconciling unconfirmed orders against generated order books, through the real path a restart takes
/// (`OrderDesk.reconcileUnresolved`: SQLite store, OpenAlgo client over libcurl, the fake answering with the book):
/// no broker order is ever claimed by two intents, a claimed order always has its intent's fields and was not in its
/// baseline, and each intent ends as the documented rule says (oldest first: exactly one unclaimed new match is
/// found, none is not placed, several are ambiguous).
@Suite struct OrderReconcilerProperties {
    static let symbols = ["RELIANCE", "TCS"]
    static let quantities = [1, 10]

    /// Draft number `index` of the 16 the properties use: few enough that books often hold several matches.
    static func draft(_ index: Int) -> OrderDraft {
        OrderDraft(symbol: symbols[index % 2], exchange: "NSE", action: (index / 2) % 2 == 0 ? .buy : .sell,
                   quantity: quantities[(index / 4) % 2], priceType: .market, price: nil,
                   product: (index / 8) % 2 == 0 ? .cnc : .mis, origin: "command")
    }

    /// A book row shaped like draft `draftIndex`, with id `o<idIndex>` (ids repeat: a broker may list an order twice)
    /// and, for some `twist` values, one field changed so the row must not match (or only differs in letter case).
    static func row(draftIndex: Int, idIndex: Int, twist: Int) -> [String: Any] {
        let draft = draft(draftIndex)
        var row: [String: Any] = [
            "action": draft.action.rawValue, "symbol": draft.symbol, "exchange": draft.exchange, "orderid": "o\(idIndex)",
            "product": draft.product.rawValue, "quantity": Double(draft.quantity), "price": 0, "pricetype": "MARKET",
            "order_status": "complete", "trigger_price": 0, "timestamp": "07-Nov-2025 10:00:00",
        ]
        switch twist {
        case 6: row["symbol"] = draft.symbol.lowercased()  // same order as far as the broker is concerned
        case 7: row["exchange"] = "BSE"
        case 8: row["quantity"] = Double(draft.quantity) + 0.5
        case 9: row["product"] = "NRML"
        case 10: row["action"] = draft.action == .buy ? "SELL" : "BUY"
        default: break
        }
        return row
    }

    /// Intents: (draft, baseline bit mask over the id pool). Rows: (draft, id, twist).
    static let intents = zip(Gen.int(in: 0...15), Gen.int(in: 0...255)).array(of: 1...5)
    static let rows = zip(Gen.int(in: 0...15), Gen.int(in: 0...7), Gen.int(in: 0...10)).array(of: 0...12)

    @Test func noOrderIsClaimedTwiceAndEveryClaimMatchesItsIntent() async throws {
        let rig = try await OrderDeskFixture.make(reads: 1)
        await propertyCheck(count: 150, input: Self.intents, Self.rows) { intents, rows in
            do {
                try await Self.check(rig, intents: intents, rows: rows)
            } catch {
                Issue.record("the store or the fake failed: \(error)")
            }
        }
        await rig.close()
    }

    static func check(_ rig: OrderDeskFixture, intents: [(Int, Int)], rows: [(Int, Int, Int)]) async throws {
        try await rig.store.clearOrders()
        let book = rows.map { Self.row(draftIndex: $0.0, idIndex: $0.1, twist: $0.2) }
        let body = try JSONSerialization.data(withJSONObject: ["status": "success", "data": ["orders": book]])
        await rig.fake.setReply("orderbook", body: String(decoding: body, as: UTF8.self))
        var baselines: [String: Set<String>] = [:]
        for (number, (draftIndex, mask)) in intents.enumerated() {
            let clientID = "pb-\(number)", at = rig.clock.now.addingTimeInterval(Double(number))
            let pending = PendingOrder(id: "c-\(number)", userID: OrderDeskFixture.user, chatID: OrderDeskFixture.user, account: "main",
                                       action: .place(Self.draft(draftIndex)), createdAt: at, expiresAt: at.addingTimeInterval(3600),
                                       state: .pending)
            try await rig.store.savePendingOrder(pending, audit: OrderAuditEntry(at: at, userID: pending.userID, account: "main",
                                                                                 event: "preview", fields: ""))
            let outcome = try await rig.store.confirmOrder(id: pending.id, by: pending.userID, account: "main", receivedAt: at,
                                                           clientID: clientID, now: at)
            guard case .confirmed = outcome else { Issue.record("intent \(number) not committed: \(outcome)"); return }
            let baseline = (0..<8).filter { mask & (1 << $0) != 0 }.map { "o\($0)" }
            baselines[clientID] = Set(baseline)
            try await rig.store.setBaseline(baseline, of: clientID, now: at)
        }

        _ = await rig.desk.reconcileUnresolved(logger: rig.logger)
        let settled = try await rig.intents()
        #expect(settled.count == intents.count)
        #expect(settled.allSatisfy { !$0.state.isUnresolved })

        let claims = settled.compactMap(\.brokerOrderID)
        #expect(Set(claims).count == claims.count, "one broker order claimed by two intents: \(claims)")
        let orders = try JSONDecoder().decode(OrderBook.self, from: JSONSerialization.data(withJSONObject: ["orders": book])).orders
        for intent in settled {
            guard let claimed = intent.brokerOrderID else { continue }
            #expect(intent.state == .placed)
            #expect(orders.contains { $0.orderID == claimed && OrderReconciler.matches($0, intent.draft) },
                    "\(intent.clientID) claimed \(claimed), whose fields differ from \(intent.draft)")
            #expect(baselines[intent.clientID]?.contains(claimed) == false, "\(intent.clientID) claimed an order from before it was sent")
        }

        // The documented rule, oldest intent first: the distinct new matching ids nobody claimed yet decide.
        var taken: Set<String> = []
        for intent in settled {
            var candidates: [String] = []
            for order in orders where Self.fieldsMatch(order, intent.draft) && baselines[intent.clientID]?.contains(order.orderID) == false
                && !taken.contains(order.orderID) && !candidates.contains(order.orderID) {
                candidates.append(order.orderID)
            }
            switch candidates.count {
            case 0: #expect(intent.state == .failed, "\(intent.clientID): nothing new matched, yet \(intent.state)")
            case 1:
                #expect(intent.state == .placed && intent.brokerOrderID == candidates[0],
                        "\(intent.clientID): only \(candidates[0]) matched, yet \(intent.state) \(intent.brokerOrderID ?? "-")")
                taken.insert(candidates[0])
            default: #expect(intent.state == .ambiguous, "\(intent.clientID): \(candidates) matched, yet \(intent.state)")
            }
        }
    }

    /// The match rule written out independently of `OrderReconciler.matches`: symbol, exchange, side and product
    /// compared without regard to case, quantity exactly.
    static func fieldsMatch(_ order: Order, _ draft: OrderDraft) -> Bool {
        order.symbol.caseInsensitiveCompare(draft.symbol) == .orderedSame && order.exchange.caseInsensitiveCompare(draft.exchange) == .orderedSame
            && order.action.caseInsensitiveCompare(draft.action.rawValue) == .orderedSame
            && order.product.caseInsensitiveCompare(draft.product.rawValue) == .orderedSame && order.quantity == Double(draft.quantity)
    }
}

extension BotStore {
    /// Forgets every confirmation and intent, so one store serves each generated case from a clean slate.
    func clearOrders() throws {
        try db.run("DELETE FROM order_intents")
        try db.run("DELETE FROM order_confirmations")
    }
}

/// The case the property found: the book lists the intent's one new order twice; that is one order, found, not two.
@Suite struct OrderReconcilerDuplicateRowRegression {
    @Test func anOrderListedTwiceIsFoundNotAmbiguous() async throws {
        let rig = try await OrderDeskFixture.make(reads: 1)
        try await OrderReconcilerProperties.check(rig, intents: [(7, 0)], rows: [(7, 0, 0), (7, 0, 0)])
        #expect(try await rig.intents().map(\.state) == [.placed])
        #expect(try await rig.intents().map(\.brokerOrderID) == ["o0"])
        await rig.close()
    }
}
