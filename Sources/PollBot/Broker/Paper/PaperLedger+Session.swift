import BotKit
import Foundation

/// The paper account across trading days, as on NSE.
///
/// At the session's close (15:30 IST): resting orders the close price crosses fill, every other open order expires
/// (it is a day order; the book shows it `cancelled`), intraday (MIS) positions are squared off at the close price, and
/// a delivery (CNC) sale of more shares than are held is bought back at the close, as the exchange's auction would.
/// This holds for orders placed after the close too: they fill at once at the close price or expire.
/// When the next session opens, the day's realized P&L moves into cash, delivery buys become holdings (their cost
/// leaves cash) and delivery sales leave them (their proceeds enter cash), carry-forward (NRML) positions stay open,
/// and the order book and trade book start empty. A fresh account seeded after the close keeps its seeded day open
/// until the next session (see `seededAfterClose`).
extension PaperLedger {
    /// Brings the books from their session to `now`: the close if it has passed, then a later session if one has opened.
    mutating func roll(to now: Date) {
        let calendar = market.calendar
        let close = calendar.time(day: session, minute: calendar.sessionMinutes)
        let latest = calendar.latestSession(at: now)
        if now >= close, !seededAfterClose || latest > session { closeSession(at: close) }
        if latest > session {
            open(session: latest)
            seededAfterClose = false
        }
    }

    /// The close of the books' session at `close`: crossed orders fill, the rest expire, intraday positions are squared off.
    private mutating func closeSession(at close: Date) {
        settle(at: close)
        for index in orders.indices where orders[index].status == "open" { orders[index].status = "cancelled" }
        for position in positions where position.quantity != 0 {
            let held = holdings.first { $0.instrument == position.instrument }?.quantity ?? 0
            let excess: Double
            switch position.product {
            case OrderProduct.mis.rawValue: excess = position.quantity
            case OrderProduct.cnc.rawValue where position.quantity < -held: excess = position.quantity + held
            default: continue
            }
            guard let price = try? market.quote(position.instrument, at: close).ltp else { continue }
            let action = excess > 0 ? OrderAction.sell.rawValue : OrderAction.buy.rawValue
            let id = record(position.instrument, action, abs(excess), position.product, PriceType.market.rawValue,
                            status: "complete", at: close, price: price)
            execute(position.instrument, action, abs(excess), position.product, price: price, at: close, orderID: id)
        }
    }

    /// The books at the start of `next`: the closed day's results settled into cash and holdings.
    private mutating func open(session next: Int) {
        var carried: [OpenPosition] = []
        for position in positions {
            cash += position.realized
            guard position.quantity != 0 else { continue }
            if position.product == OrderProduct.cnc.rawValue {
                deliver(position)
            } else {
                var kept = position
                kept.realized = 0
                carried.append(kept)
            }
        }
        holdings.removeAll { $0.quantity <= 0 }
        positions = carried
        orders = []
        trades = []
        session = next
    }

    /// A delivery position settles: a buy joins the holding at its cost, a sale leaves it (never more than is held:
    /// the close bought back the rest).
    private mutating func deliver(_ position: OpenPosition) {
        let index = holdings.firstIndex { $0.instrument == position.instrument }
        cash -= position.quantity * position.averagePrice
        if position.quantity > 0 {
            guard let index else {
                holdings.append(HeldStock(instrument: position.instrument, quantity: position.quantity, averagePrice: position.averagePrice))
                return
            }
            let total = holdings[index].quantity + position.quantity
            holdings[index].averagePrice = (holdings[index].averagePrice * holdings[index].quantity
                                            + position.averagePrice * position.quantity) / total
            holdings[index].quantity = total
        } else if let index {
            holdings[index].quantity += position.quantity
        }
    }

    /// True when `other` holds the same books (what storage keeps).
    func sameBooks(as other: PaperLedger) -> Bool {
        cash == other.cash && session == other.session && positions == other.positions && holdings == other.holdings
            && orders == other.orders && trades == other.trades && nextOrderNumber == other.nextOrderNumber && analyze == other.analyze
            && seededAfterClose == other.seededAfterClose
    }
}
